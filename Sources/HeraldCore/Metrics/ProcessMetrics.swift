import Foundation

/// The standard `process_*` metrics every Prometheus client library exports, read from the kernel for this process.
/// Only `/proc/self` is read: the unit's `ProcSubset=pid` hides the system-wide files.
enum ProcessMetrics {
    static func gauges(startedAt: Date) -> [Metrics.Gauge] {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu =
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        var gauges: [Metrics.Gauge] = [
            .init(
                "process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                (cpu * 1000).rounded() / 1000),
            .init(
                "process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
                startedAt.timeIntervalSince1970.rounded()),
        ]
        // statm: size and resident set, in pages.
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let pages = statm.split(separator: " ").compactMap { Double($0) }
            let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
            if pages.count >= 2 {
                gauges.append(
                    .init("process_virtual_memory_bytes", "Virtual memory size in bytes.", pages[0] * pageSize))
                gauges.append(
                    .init("process_resident_memory_bytes", "Resident memory size in bytes.", pages[1] * pageSize))
            }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            // The listing itself holds one descriptor open while it reads.
            gauges.append(
                .init("process_open_fds", "Number of open file descriptors.", Double(max(0, descriptors.count - 1))))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            gauges.append(.init("process_max_fds", "Maximum number of open file descriptors.", Double(limit.rlim_cur)))
        }
        return gauges
    }
}
