#include "services/jobs/job_runner.hpp"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "services/jobs/job_repository.hpp"

namespace xiehui::jobs {

namespace jr = job_repository;

namespace {

constexpr const char* kSilentResult =
    R"({"code":"unavailable","message":"执行任务的服务进程已停止，任务未完成，请重新提交"})";

}  // namespace

JobRunner::JobRunner(db::Database& db, const Clock& clock, JobTiming timing)
    : db_(db),
      clock_(clock),
      timing_(timing),
      thread_([this](std::stop_token stop) { run(stop); }),
      beat_thread_([this](std::stop_token stop) { beat(stop); }) {}

JobRunner::~JobRunner() {
  beat_thread_.request_stop();
  beat_wake_.notify_all();
  beat_thread_.join();
  thread_.request_stop();
  wake_.notify_all();
  thread_.join();
  for (const Queued& q : queue_) {
    finish(q.id, "failed", *q.progress,
           R"({"code":"unavailable","message":"服务停止，任务未执行"})");
  }
}

Result<long long> JobRunner::submit(std::string kind, const Principal& owner, Work work) {
  auto id = db_.with_session([&](soci::session& s) -> Result<long long> {
    return jr::insert_job(s, kind, owner.user_id ? std::optional(owner.user_id) : std::nullopt,
                          clock_.now());
  });
  if (!id) return id;
  auto progress = std::make_shared<JobProgress>();
  {
    std::lock_guard lock(mutex_);
    live_.emplace(*id, progress);
    queue_.push_back({*id, std::move(work), std::move(progress)});
  }
  wake_.notify_one();
  return id;
}

bool JobRunner::live_here(long long id) {
  std::lock_guard lock(mutex_);
  return live_.contains(id);
}

Result<JobRecord> JobRunner::get(long long id, const Principal& who) {
  const auto read = [&](bool sweep) {
    return db_.with_session([&](soci::session& s) -> Result<JobRecord> {
      if (sweep) {
        const Timestamp now = clock_.now();
        const auto failed = jr::fail_silent_jobs(
            s, now - std::chrono::duration_cast<std::chrono::microseconds>(timing_.silent),
            kSilentResult, now);
        if (failed > 0) spdlog::warn("{} job(s) failed: their process stopped beating", failed);
      }
      auto j = jr::find_job(s, id);
      if (!j || !who.user_id || j->created_by != who.user_id) {
        return std::unexpected(not_found_error({"任务", "job"}));
      }
      return *j;
    });
  };
  auto job = read(false);
  if (!job) return job;
  if (job->status != "succeeded" && job->status != "failed" && !live_here(id)) {
    job = read(true);  // another process's job: failed first if that process went silent
    if (!job) return job;
  }
  std::lock_guard lock(mutex_);
  if (auto it = live_.find(id);
      it != live_.end() && job->status != "succeeded" && job->status != "failed") {
    job->done = it->second->done();
    job->total = it->second->total();
  }
  return job;
}

void JobRunner::run(std::stop_token stop) {
  for (;;) {
    Queued job;
    {
      std::unique_lock lock(mutex_);
      if (stop.stop_requested()) return;
      if (!wake_.wait(lock, stop, [&] { return !queue_.empty(); }) || stop.stop_requested()) {
        return;  // what is still queued is failed by the destructor
      }
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    auto started = db_.with_session([&](soci::session& s) -> Status {
      jr::update_job(s, {job.id, "", "running", 0, 0, "", {}, {}, {}}, clock_.now());
      return {};
    });
    if (!started)
      spdlog::warn("job {}: cannot mark running: {}", job.id, started.error().message.en);
    JobOutcome outcome;
    try {
      outcome = job.work(*job.progress);
    } catch (const std::exception& e) {
      spdlog::error("job {} failed: {}", job.id, e.what());
      outcome = {false, R"({"code":"internal","message":"任务执行失败"})"};
    } catch (...) {
      spdlog::error("job {} failed with a non-standard exception", job.id);
      outcome = {false, R"({"code":"internal","message":"任务执行失败"})"};
    }
    finish(job.id, outcome.ok ? "succeeded" : "failed", *job.progress, std::move(outcome.result));
  }
}

void JobRunner::beat(std::stop_token stop) {
  std::mutex sleep_mutex;
  for (;;) {
    {
      std::unique_lock lock(sleep_mutex);
      if (beat_wake_.wait_for(lock, stop, timing_.beat, [] { return false; }) ||
          stop.stop_requested()) {
        return;
      }
    }
    std::vector<std::pair<long long, std::shared_ptr<JobProgress>>> live;
    {
      std::lock_guard lock(mutex_);
      live.assign(live_.begin(), live_.end());
    }
    for (const auto& [id, progress] : live) {
      auto beaten = db_.with_session([&](soci::session& s) -> Status {
        jr::beat(s, id, progress->done(), progress->total(), clock_.now());
        return {};
      });
      if (!beaten) spdlog::warn("job {}: heartbeat not written: {}", id, beaten.error().message.en);
    }
  }
}

void JobRunner::finish(long long id, const std::string& status, const JobProgress& progress,
                       std::string result) {
  JobRecord record{id, "", status, progress.total(), progress.done(), std::move(result),
                   {}, {}, {}};
  auto saved = db_.with_session([&](soci::session& s) -> Status {
    jr::update_job(s, record, clock_.now());
    return {};
  });
  if (!saved) {
    // Most likely the result is too big for the row: keep the status at least, so pollers
    // do not wait for ever.
    spdlog::error("job {}: cannot store its outcome: {}", id, saved.error().message.en);
    record.result = R"({"code":"internal","message":"任务结果无法保存"})";
    record.status = "failed";
    (void)db_.with_session([&](soci::session& s) -> Status {
      jr::update_job(s, record, clock_.now());
      return {};
    });
  }
  std::lock_guard lock(mutex_);
  live_.erase(id);
}

}  // namespace xiehui::jobs
