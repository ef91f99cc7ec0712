import ArgumentParser

/// sysexits(3) codes, so systemd (`RestartPreventExitStatus=78`) and scripts can tell failures apart.
extension ExitCode {
    static let usage = ExitCode(64)
    static let badData = ExitCode(65)
    static let noInput = ExitCode(66)
    static let unavailable = ExitCode(69)
    static let ioError = ExitCode(74)
    /// Busy: another herald writes the database, or the daemon is stopping or already runs that source.
    static let tryAgain = ExitCode(75)
    static let badConfig = ExitCode(78)
}
