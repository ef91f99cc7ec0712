package enum HeraldVersion {
    package static let current = "0.1.0"
}
