import CZlibInflate
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics
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
            throw InputError(message: cliMessages.text(.readError, name, String(cString: strerror(errno))))
        }
    }
}

/// Any input: plain bytes, or gzip whatever the name (detected from its
/// first two bytes, 1f 8b), decompressed with zlib's inflate.
///
/// Damage is never allowed to cost the lines before it: when the data stops
/// decompressing (a bad trailer, corrupt deflate data, a file cut short),
/// every byte decompressed so far is handed on, the input then ends, and the
/// damage is kept in `failure` for the caller to report after those lines
/// have been processed and counted.
struct InputSource: ByteSource {
    var file: FileSource
    /// Bytes read while sniffing, handed on first (plain) or inflated (gzip).
    private var sniffed: [UInt8] = []
    private var inflater: Inflater?
    private(set) var failure: InputError?

    init(file: FileSource) throws {
        self.file = file
        var head = [UInt8](repeating: 0, count: 2)
        var got = 0
        while got < 2 {
            let n = try head.withUnsafeMutableBytes { try self.file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
            if n == 0 { break }
            got += n
        }
        sniffed = Array(head[0..<got])
        if got == 2 && head[0] == 0x1F && head[1] == 0x8B { inflater = try Inflater(name: file.name) }
    }

    var isGzip: Bool { inflater != nil }
    /// Bytes read ahead by `head(upTo:)`, handed out first.
    private var ahead: [UInt8] = []

    /// The first bytes of the data (decompressed), without consuming them.
    mutating func head(upTo count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = try bytes.withUnsafeMutableBytes { try readData(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
            if n == 0 { break }
            got += n
        }
        ahead = Array(bytes[0..<got])
        return ahead
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !ahead.isEmpty {
            let n = min(ahead.count, buffer.count)
            buffer.copyBytes(from: ahead[0..<n])
            ahead.removeFirst(n)
            return n
        }
        return try readData(into: buffer)
    }

    private mutating func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if failure != nil { return 0 }
        guard let inflater else {
            if !sniffed.isEmpty { return takeSniffed(into: buffer) }
            return try file.read(into: buffer)
        }
        do {
            return try inflater.inflate(into: buffer) { input in
                if !sniffed.isEmpty { return takeSniffed(into: input) }
                return try file.read(into: input)
            }
        } catch let error as Inflater.Damage {
            failure = InputError(message: error.message)
            return error.produced
        }
    }

    private mutating func takeSniffed(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(sniffed.count, buffer.count)
        buffer.copyBytes(from: sniffed[0..<n])
        sniffed.removeFirst(n)
        return n
    }
}

/// zlib's inflate over gzip members (one after another, as gzip allows).
/// A class: zlib keeps a pointer back to the `z_stream`, which must not move.
final class Inflater {
    /// What stopped decompression, with the bytes produced before it in
    /// this call (they are good and must be handed on).
    struct Damage: Error {
        var message: String
        var produced: Int
    }

    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var input = [UInt8](repeating: 0, count: 1 << 18)
    private var inputEnded = false
    /// Inside a gzip member (its end not yet seen).
    private var inMember = true
    private var produced = 0   // bytes out before this call, for messages
    private let name: String

    init(name: String) throws {
        self.name = name
        stream.initialize(to: z_stream())
        // 15 + 16: a gzip wrapper is expected.
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw InputError(message: cliMessages.text(.zlibStart, name))
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    func inflate(into buffer: UnsafeMutableRawBufferPointer,
                 refill: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        var out = 0
        defer { produced += out }
        while out < buffer.count {
            if stream.pointee.avail_in == 0 && !inputEnded {
                let n = try input.withUnsafeMutableBytes { try refill($0) }
                if n == 0 { inputEnded = true }
                stream.pointee.avail_in = UInt32(n)
                input.withUnsafeMutableBytes { stream.pointee.next_in = $0.baseAddress!.assumingMemoryBound(to: UInt8.self) }
            }
            if stream.pointee.avail_in == 0 && inputEnded {
                if inMember {
                    throw Damage(message: cliMessages.text(.truncatedGzip, name, "\(produced + out)"), produced: out)
                }
                return out
            }
            if !inMember {
                // Another member follows (concatenated gzip files).
                inflateReset(stream)
                inMember = true
            }
            stream.pointee.next_out = (buffer.baseAddress! + out).assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(buffer.count - out, Int(UInt32.max)))
            let before = stream.pointee.avail_out
            // `input` is not resized or copied while zlib reads from it.
            let status = CZlibInflate.inflate(stream, Z_NO_FLUSH)
            out += Int(before - stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                inMember = false
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw Damage(message: cliMessages.text(.damagedGzip, name, reason, "\(produced + out)"), produced: out)
            }
        }
        return out
    }
}

/// One input named on the command line.
enum Input {
    /// Checks that every path can be opened, before any work starts, so that
    /// a typo is a usage error (exit 2) and not a half-done run.
    static func checkReadable(_ paths: [String]) throws {
        guard !paths.isEmpty else { throw UsageError(message: cliMessages.text(.noInputFiles)) }
        for path in paths where path != "-" {
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw UsageError(message: cliMessages.text(.cannotOpen, path, String(cString: strerror(errno))))
            }
            if (st.st_mode & S_IFMT) == S_IFDIR { throw UsageError(message: cliMessages.text(.isDirectory, path)) }
            guard access(path, R_OK) == 0 else {
                throw UsageError(message: cliMessages.text(.cannotOpen, path, String(cString: strerror(errno))))
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

    /// Bytes per line at the start of a regular file (its first 256 KB),
    /// when that holds at least 16 lines; nil otherwise. Never a pipe or a
    /// device (`<(zcat …)`): what is read from one is gone for the run.
    static func sampledBytesPerLine(_ path: String) -> Int? {
        var st = stat()
        guard size(path) != nil, stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let capacity = 1 << 18
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer -> Int? in
            var filled = 0
            while filled < capacity {
                let n = read(fd, buffer.baseAddress! + filled, capacity - filled)
                guard n > 0 else { break }
                filled += n
            }
            let lines = buffer[..<filled].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            return lines >= 16 ? filled / lines : nil
        }
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

    /// The name used in messages: `standard input` for `-`.
    static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }

    /// Opens `path`; `-` is standard input. Gzip is detected from the bytes.
    static func open(_ path: String) throws -> InputSource {
        let name = displayName(path)
        let fd = path == "-" ? dup(0) : Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(message: cliMessages.text(.cannotOpen, name, String(cString: strerror(errno)))) }
        return try InputSource(file: FileSource(fd: fd, name: name))
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

    /// Writes nowhere (/dev/null): for a run whose messages were printed already.
    static let discard: OutputStream = OutputStream(fopen("/dev/null", "w")!)

    static func create(_ path: String) throws -> OutputStream {
        guard let f = fopen(path, "wb") else {
            throw UsageError(message: cliMessages.text(.cannotCreate, path, String(cString: strerror(errno))))
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
