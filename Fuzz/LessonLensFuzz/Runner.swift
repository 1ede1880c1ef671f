#if FUZZING
/// libFuzzer's entry point (built by scripts/fuzz with -sanitize=fuzzer,address).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Harness.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import Foundation

/// Without libFuzzer: runs the harness's checks on every file named (the
/// seed corpus and every input that ever crashed), for the test suite.
@main
struct FuzzRunner {
    static func main() throws {
        var checked = 0
        for path in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("LessonLensFuzz: \(path): no such file\n".utf8))
                exit(2)
            }
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                Harness.check(Array(data))
                checked += 1
            }
        }
        print("LessonLensFuzz: \(checked) inputs checked, no difference")
    }
}
#endif
