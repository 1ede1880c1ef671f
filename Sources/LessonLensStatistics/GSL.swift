import CGSL
import LessonLensCore

/// A GSL routine reported a failure (domain error, singular data, ...).
public struct GSLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// GSL's error code (`GSL_EDOM`, ...).
    public var status: Int32
    /// The GSL routine that failed.
    public var routine: String

    /// The routine, GSL's own words for the code, and the code.
    public var description: String {
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
        return "\(routine): \(reason) (GSL status \(status))"
    }
}

/// The thin, safe wrapper over GSL that the rest of the core uses.
///
/// GSL's default error handler calls `abort()`. The handler is switched off
/// once, before the first call into GSL, and every status code becomes a
/// Swift `GSLError`: GSL never ends the process.
public enum GSL {
    private static let handlerOff: Bool = {
        _ = gsl_set_error_handler_off()
        return true
    }()

    /// Call before any GSL routine (cheap after the first time).
    @inline(__always)
    public static func prepare() {
        precondition(handlerOff)
    }

    /// Turns a GSL status code into a thrown error.
    public static func check(_ status: Int32, _ routine: String) throws(GSLError) {
        guard status == GSL_SUCCESS else { throw GSLError(status: status, routine: routine) }
    }
}
