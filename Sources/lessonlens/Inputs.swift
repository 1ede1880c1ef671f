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
    /// Bytes read ahead by `head(upTo:)`, handed out first (from `aheadStart`).
    private var ahead: [UInt8] = []
    private var aheadStart = 0

    /// The first `count` bytes of the data (decompressed; fewer at its
    /// end), without consuming them. Asking again, for as many or more,
    /// gives the same bytes.
    mutating func head(upTo count: Int) throws -> [UInt8] {
        precondition(aheadStart == 0, "head(upTo:) after reading")
        if ahead.count < count {
            var bytes = [UInt8](repeating: 0, count: count - ahead.count)
            var got = 0
            while got < bytes.count {
                let n = try bytes.withUnsafeMutableBytes { try readData(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
                if n == 0 { break }
                got += n
            }
            ahead += bytes[0..<got]
        }
        return Array(ahead.prefix(count))
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if aheadStart < ahead.count {
            let n = min(ahead.count - aheadStart, buffer.count)
            buffer.copyBytes(from: ahead[aheadStart..<aheadStart + n])
            aheadStart += n
            if aheadStart == ahead.count { ahead = []; aheadStart = 0 }
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

/// One input named on the command line, opened, `fstat`ed and sniffed
/// once, before any work starts: what was learned then (its size, gzip from
/// its first bytes) is kept, and the bytes read to learn it are handed on
/// when it is read.
final class OpenedInput {
    /// The name used in messages: `standard input` for `-`.
    let name: String
    /// Bytes of a regular, uncompressed file; nil for standard input,
    /// pipes and gzip (how much they hold is not known ahead).
    let size: Int?
    private var source: Result<InputSource, InputError>?

    fileprivate init(name: String, size: Int?, source: Result<InputSource, InputError>) {
        self.name = name
        self.size = size
        self.source = source
    }

    /// The input to read, once; a read error while sniffing it (EIO, a
    /// zlib that cannot start) is thrown here, when its turn comes.
    func take() throws -> InputSource {
        guard let source else { preconditionFailure("an input taken twice") }
        self.source = nil
        return try source.get()
    }

    /// Bytes per line at the start of the input (its first 256 KB, kept
    /// for the reading), when that holds at least 16 lines; nil otherwise
    /// and for inputs of unknown size.
    func sampledBytesPerLine() -> Int? {
        guard size != nil, case .success(var input)? = source, let head = try? input.head(upTo: 1 << 18) else { return nil }
        source = .success(input)
        let lines = head.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        return lines >= 16 ? head.count / lines : nil
    }
}

/// The inputs named on the command line.
enum Input {
    /// Opens every path (`-` is standard input) before any work starts, so
    /// that a typo or a directory is a usage error (exit 2) and not a
    /// half-done run. Each file is opened and `fstat`ed here only.
    static func openAll(_ paths: [String]) throws -> [OpenedInput] {
        guard !paths.isEmpty else { throw UsageError(message: cliMessages.text(.noInputFiles)) }
        var opened: [OpenedInput] = []
        opened.reserveCapacity(paths.count)
        for path in paths {
            let name = displayName(path)
            let fd = path == "-" ? dup(0) : Glibc.open(path, O_RDONLY)
            guard fd >= 0 else { throw UsageError(message: cliMessages.text(.cannotOpen, path, String(cString: strerror(errno)))) }
            var st = stat()
            guard fstat(fd, &st) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = Glibc.close(fd)
                throw UsageError(message: cliMessages.text(.cannotOpen, path, reason))
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                _ = Glibc.close(fd)
                throw UsageError(message: cliMessages.text(.isDirectory, path))
            }
            let source: Result<InputSource, InputError>
            do { source = .success(try InputSource(file: FileSource(fd: fd, name: name))) } catch {
                _ = Glibc.close(fd)
                source = .failure(error as? InputError ?? InputError(message: "\(name): \(error)"))
            }
            let plain = (try? source.get().isGzip == false) ?? false
            let regular = path != "-" && (st.st_mode & S_IFMT) == S_IFREG
            opened.append(OpenedInput(name: name, size: regular && plain ? Int(st.st_size) : nil, source: source))
        }
        return opened
    }

    /// Total size of the inputs when every one is a regular, uncompressed file.
    static func totalSize(_ inputs: [OpenedInput]) -> Int? {
        var total = 0
        for input in inputs {
            guard let s = input.size else { return nil }
            total += s
        }
        return total
    }

    /// About how many lines the inputs hold: their total size over the
    /// line size sampled at the start of the first, a little over it for
    /// lines shorter further on; nil without a total or a sample.
    static func expectedLines(_ inputs: [OpenedInput]) -> Int? {
        guard let total = totalSize(inputs), total > 0, let perLine = inputs.first?.sampledBytesPerLine() else { return nil }
        return min(total, 1 << 40) / max(perLine, 64) * 21 / 20
    }

    /// The name used in messages: `standard input` for `-`.
    static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }
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
