import ArgumentParser

/// sysexits(3) codes, so systemd (`RestartPreventExitStatus=78`) and scripts can tell failures apart.
extension ExitCode {
    static let usage = ExitCode(64)
    static let badData = ExitCode(65)
    static let noInput = ExitCode(66)
    static let unavailable = ExitCode(69)
    static let ioError = ExitCode(74)
    static let badConfig = ExitCode(78)
}
