import Foundation
import Testing

/// docs/observation-log-v1.schema.json against what LessonLens accepts,
/// checked by a well-kept validator (Python's jsonschema).
@Suite struct SchemaTests {
    @Test(.enabled(if: Helper.pythonHas("jsonschema"), "needs python3 with jsonschema (scripts/ensure-deps installs it)"))
    func everyAcceptedLineIsValidAndBrokenLinesAreNot() throws {
        let (status, text) = try Helper.python("scripts/check-schema", [CLI.executable.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains(" passed, 0 failed"), "\(text)")
    }
}
