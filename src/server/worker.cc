#include "server/worker.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "base/path.h"
#include "server/layer_store.h"
#include "server/schema.h"

namespace drydock::server {

namespace {

using Clock = std::chrono::steady_clock;

void Log(const std::string& line) { std::fprintf(stderr, "drydock: worker: %s\n", line.c_str()); }

// What the threads share: the stop flag and a way to sleep until it is set.
struct StopFlag {
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  // Sleeps up to `ms`; true when stopping.
  bool SleepFor(int ms) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stop.load(); });
  }
  void Set() {
    stop = true;
    cv.notify_all();
  }
};

// A connection that LISTENs, made again (with backoff) whenever it breaks.
class Session {
 public:
  Session(const std::string& url, StopFlag& stop) : url_(url), stop_(stop) {}
  // Null only when stopping.
  pg::Conn* Get() {
    int backoff_ms = 200;
    while (!conn_ || !conn_->ok()) {
      conn_.reset();
      auto c = pg::Conn::Connect(url_, 5);
      if (c.ok() && (*c)->Run(fmt::format("LISTEN {}", kNotifyChannel)).ok()) {
        conn_ = std::move(c).value();
        if (lost_) Log("reconnected to the database");
        lost_ = false;
        break;
      }
      if (!lost_) Log(c.ok() ? "cannot LISTEN" : c.error().message + " (retrying)");
      lost_ = true;
      if (stop_.SleepFor(backoff_ms)) return nullptr;
      backoff_ms = std::min(backoff_ms * 2, 5000);
    }
    return conn_.get();
  }
  void Broken() {
    conn_.reset();
    lost_ = true;
  }

 private:
  std::string url_;
  StopFlag& stop_;
  std::unique_ptr<pg::Conn> conn_;
  bool lost_ = false;
};

// Renews the lease of one job from its own connection until stopped.
class Heartbeat {
 public:
  Heartbeat(const WorkerOptions& o, int64_t id, std::string owner)
      : thread_([this, url = o.database, id, owner = std::move(owner), lease = o.lease_seconds] {
          std::unique_ptr<pg::Conn> c;
          const int every_ms = std::max(lease * 1000 / 3, 200);
          std::unique_lock lock(mu_);
          while (!done_) {
            if (cv_.wait_for(lock, std::chrono::milliseconds(every_ms), [&] { return done_; })) break;
            lock.unlock();
            if (!c || !c->ok()) {
              auto fresh = pg::Conn::Connect(url, 2);
              c = fresh.ok() ? std::move(fresh).value() : nullptr;
            }
            if (c) {
              auto held = server::Heartbeat(*c, id, owner, lease);
              if (held.ok() && !*held) lost_ = true;
            }
            lock.lock();
          }
        }) {}
  ~Heartbeat() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool lost() const { return lost_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

// Runs `op` on the session's connection until it succeeds, the database
// refuses it for a reason other than a broken connection, or the deadline.
template <typename F>
auto WithRetry(Session& s, StopFlag& stop, int deadline_s, F op) -> decltype(op(std::declval<pg::Conn&>())) {
  const auto end = Clock::now() + std::chrono::seconds(deadline_s);
  for (;;) {
    pg::Conn* c = s.Get();
    if (c == nullptr) return EnvError("stopping");
    auto r = op(*c);
    if (r.ok() || c->ok() || Clock::now() > end) return r;
    s.Broken();
    (void)stop;
  }
}

void WorkLoop(const WorkerOptions& o, const ScanJobFn& scan, StopFlag& stop, const std::string& owner) {
  Session session(o.database, stop);
  PgLayerStore store(o.database);
  while (!stop.stop) {
    pg::Conn* c = session.Get();
    if (c == nullptr) return;
    auto claimed = Claim(*c, owner, o.lease_seconds);
    if (!claimed.ok()) {
      if (!c->ok()) {
        session.Broken();
      } else {
        Log(claimed.error().message);
        stop.SleepFor(1000);
      }
      continue;
    }
    if (!*claimed) {
      // Idle: a NOTIFY wakes us; poll_seconds is the fallback. Woken every
      // second to see the stop flag.
      const auto until = Clock::now() + std::chrono::seconds(o.poll_seconds);
      while (!stop.stop && Clock::now() < until) {
        auto n = c->WaitNotify(1000);
        if (!n.ok()) {
          session.Broken();
          break;
        }
        if (*n) break;
      }
      continue;
    }
    const Job job = std::move(**claimed);
    if (!o.abort_on.empty() && job.target.find(o.abort_on) != std::string::npos) {
      Log(fmt::format("scan {}: aborting (DRYDOCK_WORKER_TEST_ABORT)", job.id));
      std::abort();
    }
    const auto start = Clock::now();
    Result<JobOutput> out = EnvError("not run");
    bool lost = false;
    {
      Heartbeat hb(o, job.id, owner);
      if (o.test_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.test_delay_ms));
      out = scan(job, store);
      lost = hb.lost();
    }
    if (lost) {
      Log(fmt::format("scan {}: lease lost (another worker took the job); result dropped", job.id));
      continue;
    }
    if (out.ok()) {
      out->seconds = std::chrono::duration<double>(Clock::now() - start).count();
      auto done = WithRetry(session, stop, o.lease_seconds,
                            [&](pg::Conn& conn) { return Complete(conn, job.id, owner, *out); });
      if (!done.ok()) {
        Log(fmt::format("scan {}: cannot store the result: {}", job.id, done.error().message));
      } else if (!*done) {
        Log(fmt::format("scan {}: lease lost before the result was stored; result dropped", job.id));
      }
      continue;
    }
    const bool retry = out.error().kind == Error::Kind::kEnvironment || out.error().kind == Error::Kind::kInternal;
    auto failed = WithRetry(session, stop, o.lease_seconds, [&](pg::Conn& conn) {
      return FailJob(conn, job.id, owner, out.error().message, retry);
    });
    if (!failed.ok()) Log(fmt::format("scan {}: cannot record the failure: {}", job.id, failed.error().message));
  }
}

}  // namespace

int RunWorkers(const WorkerOptions& o, const ScanJobFn& scan) {
  if (auto s = ConnectAndMigrate(o.database); !s.ok()) {
    std::fprintf(stderr, "drydock: worker: %s\n", s.error().message.c_str());
    return 2;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::string prefix = o.name;
  if (prefix.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    prefix = fmt::format("{}:{}", Printable(host, 64), getpid());
  }
  StopFlag stop;
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(o.concurrency, 1); ++i) {
    threads.emplace_back([&, i] { WorkLoop(o, scan, stop, fmt::format("{}/{}", prefix, i)); });
  }
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&set, &sig);
    stop.Set();
  });
  Log(fmt::format("{} started, {} job thread(s)", prefix, std::max(o.concurrency, 1)));
  for (auto& t : threads) t.join();
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace drydock::server
