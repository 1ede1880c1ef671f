import CZlib
import Foundation
import LessonLens
#if canImport(Glibc)
import Glibc
#endif

/// A usage problem: bad option, missing or unreadable file. Exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// An input that failed part way (I/O error, corrupt gzip). Exit status 1.
struct InputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Plain file read with read(2).
struct FileSource: ByteSource {
    let fd: Int32
    let name: String

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError(message: "\(name): read error: \(String(cString: strerror(errno)))")
        }
    }
}

/// A gzip file (or standard input, gzip or not) through zlib's gzread, which
/// also reads concatenated gzip members and passes plain data through.
struct GzipSource: ByteSource {
    let file: gzFile
    let name: String

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = UInt32(min(buffer.count, 1 << 30))
        let n = gzread(file, buffer.baseAddress, want)
        if n < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
            throw InputError(message: "\(name): cannot decompress: \(message)")
        }
        return Int(n)
    }
}

/// One input named on the command line.
enum Input {
    case plain(FileSource)
    case gzip(GzipSource)

    /// Checks that every path can be opened, before any work starts, so that
    /// a typo is a usage error (exit 2) and not a half-done run.
    static func checkReadable(_ paths: [String]) throws {
        guard !paths.isEmpty else { throw UsageError(message: "no input files (use - for standard input)") }
        for path in paths where path != "-" {
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw UsageError(message: "\(path): cannot open: \(String(cString: strerror(errno)))")
            }
            if (st.st_mode & S_IFMT) == S_IFDIR { throw UsageError(message: "\(path): is a directory") }
            guard access(path, R_OK) == 0 else {
                throw UsageError(message: "\(path): cannot open: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Size in bytes of a plain file; nil for standard input and gzip files
    /// (their decompressed size is not known ahead).
    static func size(_ path: String) -> Int? {
        guard path != "-", !path.hasSuffix(".gz") else { return nil }
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// Total size of the inputs when every one is a plain file.
    static func totalSize(_ paths: [String]) -> Int? {
        var total = 0
        for p in paths {
            guard let s = size(p) else { return nil }
            total += s
        }
        return total
    }

    /// Opens `path`; `-` is standard input (gzip detected from its bytes).
    static func open(_ path: String) throws -> Input {
        if path == "-" {
            guard let gz = gzdopen(dup(0), "rb") else { throw InputError(message: "-: cannot read standard input") }
            gzbuffer(gz, 1 << 20)
            return .gzip(GzipSource(file: gz, name: "-"))
        }
        if path.hasSuffix(".gz") {
            guard let gz = gzopen(path, "rb") else {
                throw InputError(message: "\(path): cannot open: \(String(cString: strerror(errno)))")
            }
            gzbuffer(gz, 1 << 20)
            return .gzip(GzipSource(file: gz, name: path))
        }
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(message: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        return .plain(FileSource(fd: fd, name: path))
    }

    func close() {
        switch self {
        case .plain(let f): _ = Glibc.close(f.fd)
        case .gzip(let g): gzclose(g.file)
        }
    }
}

/// Buffered writes to a C stream (stdout, a rejects file).
/// C streams lock themselves around each call, so one may be shared.
final class OutputStream: @unchecked Sendable {
    let file: UnsafeMutablePointer<FILE>

    init(_ file: UnsafeMutablePointer<FILE>) { self.file = file }

    static let standardOutput: OutputStream = {
        let f = fdopen(STDOUT_FILENO, "w")!
        setvbuf(f, nil, _IOFBF, 1 << 20)
        return OutputStream(f)
    }()

    static let standardError: OutputStream = {
        let f = fdopen(STDERR_FILENO, "w")!
        setvbuf(f, nil, _IOLBF, 1 << 16)
        return OutputStream(f)
    }()

    static func create(_ path: String) throws -> OutputStream {
        guard let f = fopen(path, "wb") else {
            throw UsageError(message: "\(path): cannot create: \(String(cString: strerror(errno)))")
        }
        return OutputStream(f)
    }

    func write(_ s: String) {
        var s = s
        s.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = fwrite(bytes.baseAddress, 1, bytes.count, file)
    }

    func flush() { fflush(file) }
    func close() { fclose(file) }
}
