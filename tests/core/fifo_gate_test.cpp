// The write gate of a Galera process: one holder, waiting callers served in arrival order, a
// caller whose wait runs out leaves the line without blocking those behind it.

#include "core/db/fifo_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace xiehui::db {
namespace {

using namespace std::chrono_literals;

template <class F>
bool eventually(F&& ok) {
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!ok() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(1ms);
  return ok();
}

TEST(FifoGate, OneHolderAndTheWaitingServedInArrivalOrder) {
  FifoGate gate;
  ASSERT_TRUE(gate.enter(1s));
  std::mutex mutex;
  std::vector<int> order;
  std::atomic<int> inside{0}, most_inside{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    // Each starts once the one before it is in line: their arrival order is 0, 1, …, 7.
    threads.emplace_back([&, i] {
      ASSERT_TRUE(gate.enter(10s));
      const int now = ++inside;
      if (now > most_inside) most_inside = now;
      {
        std::lock_guard lock(mutex);
        order.push_back(i);
      }
      std::this_thread::sleep_for(2ms);
      --inside;
      gate.leave();
    });
    ASSERT_TRUE(eventually([&] { return gate.waiting() == static_cast<std::size_t>(i + 1); }));
  }
  gate.leave();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(most_inside.load(), 1) << "never two holders";
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(FifoGate, AWaitThatRunsOutLeavesTheLineAndTheNextStillGetsIn) {
  FifoGate gate;
  ASSERT_TRUE(gate.enter(1s));
  EXPECT_FALSE(gate.enter(20ms)) << "held by someone else for longer than the wait";
  EXPECT_EQ(gate.waiting(), 0u) << "the caller that gave up is out of the line";
  std::atomic<bool> got{false};
  std::thread later([&] {
    got = gate.enter(10s);
    if (got) gate.leave();
  });
  ASSERT_TRUE(eventually([&] { return gate.waiting() == 1u; }));
  gate.leave();
  later.join();
  EXPECT_TRUE(got.load());
  EXPECT_TRUE(gate.enter(0ms)) << "free again";
  gate.leave();
}

}  // namespace
}  // namespace xiehui::db
