#pragma once
// Long-running work (imports, bill runs) off the request path: a request queues a job and
// answers 202 at once; one background thread runs jobs in order; clients poll the job for its
// progress and, at the end, its result. The job row in the database holds the status and the
// result, so any server process can answer for it: the process running a job writes its
// progress and a heartbeat there every JobTiming::beat, and a queued or running job without a
// heartbeat for JobTiming::silent (its process died) is failed by the next process asked about
// it. (A job's work is code in the process that queued it: another process cannot resume it.)

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::jobs {

struct JobRecord {
  long long id = 0;
  std::string kind;    ///< "member_import", ...
  std::string status;  ///< queued, running, succeeded, failed
  long long total = 0;
  long long done = 0;
  std::string result;  ///< JSON text written by whoever queued the job
  std::optional<long long> created_by;
  Timestamp created_at;
  Timestamp updated_at;
};

/// Live progress of a running job, written by the job and read by pollers.
class JobProgress {
 public:
  void report(long long done, long long total) {
    total_.store(total, std::memory_order_relaxed);
    done_.store(done, std::memory_order_relaxed);
  }
  long long done() const { return done_.load(std::memory_order_relaxed); }
  long long total() const { return total_.load(std::memory_order_relaxed); }

 private:
  std::atomic<long long> done_{0};
  std::atomic<long long> total_{0};
};

/// What a job hands back: success or not, and the JSON text to store as its result.
struct JobOutcome {
  bool ok = false;
  std::string result;
};

/// How often a live job's progress and heartbeat are written, and how long a queued or running
/// job may go without a heartbeat before it is taken for dead. `silent` leaves room for a busy
/// database to delay a few beats.
struct JobTiming {
  std::chrono::milliseconds beat{2000};
  std::chrono::milliseconds silent{30000};
};

class JobRunner {
 public:
  using Work = std::function<JobOutcome(JobProgress&)>;

  JobRunner(db::Database& db, const Clock& clock, JobTiming timing = {});
  /// Lets the running job finish; jobs still queued are marked failed.
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  /// Queues `work` as a job of `kind` owned by `owner`; returns the job id.
  Result<long long> submit(std::string kind, const Principal& owner, Work work);

  /// The job, with live counts while this process runs it (as of the last heartbeat when
  /// another does). Only its owner may read it (a report carries the data it was run on); for
  /// others it does not exist. A job whose process went silent is failed first.
  Result<JobRecord> get(long long id, const Principal& who);

 private:
  struct Queued {
    long long id;
    Work work;
    std::shared_ptr<JobProgress> progress;
  };
  void run(std::stop_token stop);
  /// Every `timing_.beat`: each live job's progress and heartbeat into its row.
  void beat(std::stop_token stop);
  bool live_here(long long id);
  void finish(long long id, const std::string& status, const JobProgress& progress,
              std::string result);

  db::Database& db_;
  const Clock& clock_;
  const JobTiming timing_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::condition_variable_any beat_wake_;  // only to stop the heartbeat thread at once
  std::deque<Queued> queue_;
  std::map<long long, std::shared_ptr<JobProgress>> live_;
  // Last: they start in the constructor and use the members above.
  std::jthread thread_;
  std::jthread beat_thread_;
};

}  // namespace xiehui::jobs
