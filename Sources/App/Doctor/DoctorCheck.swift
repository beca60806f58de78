/// One line of `heaters doctor`: a dependency, whether it works, and how to fix it.
struct DoctorCheck: Encodable {
    enum Status: String, Encodable {
        case ok
        /// Works, but something a person may want to know (e.g. no colours).
        case warning
        case failed
    }

    var area: String
    var name: String
    var status: Status
    var detail: String
    var fix: String?

    static func ok(_ area: String, _ name: String, _ detail: String) -> DoctorCheck {
        DoctorCheck(area: area, name: name, status: .ok, detail: detail, fix: nil)
    }

    static func failed(_ area: String, _ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(area: area, name: name, status: .failed, detail: detail, fix: fix)
    }

    static func warning(_ area: String, _ name: String, _ detail: String, fix: String?) -> DoctorCheck {
        DoctorCheck(area: area, name: name, status: .warning, detail: detail, fix: fix)
    }
}
