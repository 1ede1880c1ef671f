/// Why a line, field or file is rejected or warned about, kept as a template
/// and its values rather than as finished text, so that the output layer can
/// say it in the reader's language (`LessonLensOutput.Messages` holds the
/// Chinese table; a test checks it has every template and word).
/// `description` is the English text.
public struct Reason: Sendable, Equatable, CustomStringConvertible {
    /// The message, with `{k}` where the k-th value goes.
    public var template: Template
    /// The values, in the template's order.
    public var values: [Value]

    /// `template` with `values`.
    public init(_ template: Template, _ values: Value...) {
        self.template = template
        self.values = values
    }

    /// `template` with `values`.
    public init(template: Template, values: [Value]) {
        self.template = template
        self.values = values
    }

    /// A value put into a template: text as written (numbers, the log's own
    /// strings, field names), a word the output translates, or a reason of
    /// its own (a JSON syntax error inside the line's message).
    public indirect enum Value: Sendable, Equatable, ExpressibleByStringInterpolation {
        case text(String)
        case word(Word)
        case reason(Reason)

        /// Text as written.
        public init(stringLiteral value: String) { self = .text(value) }
        /// Text as written.
        public init(stringInterpolation: DefaultStringInterpolation) { self = .text(String(stringInterpolation: stringInterpolation)) }
    }

    /// The reason in English.
    public var description: String { render(template: \.rawValue, word: \.rawValue) }

    /// The text with `template` and `word` saying each part: `{0}`, `{1}`, ...
    /// in a template are replaced by the values in order.
    public func render(template text: (Template) -> String, word: (Word) -> String) -> String {
        var out = ""
        var rest = Substring(text(template))
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let digits = rest[rest.index(after: open)...].prefix(while: \.isNumber)
            let close = digits.endIndex
            guard !digits.isEmpty, close < rest.endIndex, rest[close] == "}", let k = Int(digits), k < values.count else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            switch values[k] {
            case .text(let s): out += s
            case .word(let w): out += word(w)
            case .reason(let r): out += r.render(template: text, word: word)
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Every message LessonLens's library can give, in English; `{k}` is the
    /// k-th value.
    public enum Template: String, CaseIterable, Sendable {
        // The contract's rules (LessonRules).
        case presentOverEnrolled = "{0} students present but only {1} enrolled"
        case timePastLatest = "time {0} is past duration_min + 60 minutes ({1} min)"
        case timeTooLarge = "time {0} is too large: past duration_min + 60 minutes ({1} min)"
        case endNotAfterStart = "end {0} is not after start {1}"
        case completedOverAssigned = "{0} completed but only {1} assigned"
        case correctOverCompleted = "{0} correct but only {1} completed"
        case secondsForMinutes = "every time is a bare number, so seconds, and the last is {0} s in a lesson of {1} minutes: times are seconds; did you mean \"{2}:00\"? · 时间数字按秒计"
        // Fields (LessonDecoder).
        case lessonNotObject = "a lesson must be a JSON object, got {0}"
        case mustNotBeEmpty = "must not be empty"
        case notADate = "\"{0}\" is not a date YYYY-MM-DD"
        case durationNotPositive = "must be a number > 0, got {0}"
        case notAnInteger = "must be an integer, got {0}"
        case integerOutOfRange = "integer {0} is out of range (must be between -9e15 and 9e15)"
        case integerAtLeast = "must be an integer >= {0}, got {1}"
        case integerBetween = "must be an integer from {0} to {1}, got {2}"
        case unknownValue = "unknown value \"{0}\", expected one of {1}"
        case unknownValueHint = "unknown value \"{0}\" (did you mean \"{1}\"?), expected one of {2}"
        case negativeTime = "time {0} must be a number of seconds >= 0 or \"M:SS\""
        case notMinutesSeconds = "time \"{0}\" is not \"M:SS\" (minutes, ':', seconds 00-59)"
        case unknownField = "unknown field, ignored"
        case unknownFieldHint = "unknown field, ignored (did you mean \"{0}\"?)"
        case appearsTwice = "appears twice"
        case missingField = "required field is missing"
        case wrongType = "must be {0}, got {1}"
        case wrongTypeValue = "must be {0}, got {1} {2}"
        case oneOf = "one of {0}"
        case repeatedOnRoster = "student \"{0}\" appears twice in the roster"
        case notOnRoster = "student \"{0}\" is not on the lesson's roster"
        case notOnClassRoster = "student \"{0}\" is not on class \"{1}\"'s roster in {2}"
        // Metrics and plausibility (LessonEvaluator, Policy).
        case readPassesOverflow = "the read passes add up to more than {0}, too large to count"
        case copyPassesOverflow = "the copy passes add up to more than {0}, too large to count"
        case giniTooLarge = "too many performances over too many students to compute the Gini coefficient"
        case implausibleDuration = "{0} minutes is longer than {1} (policy plausible.max_duration_min): is it right?"
        case implausibleStudents = "{0} students is more than {1} (policy plausible.max_students): is it right?"
        case implausiblePasses = "{0} passes is more than {1} (policy plausible.max_passes): is it right?"
        case implausiblePassesOneMore = "{0} passes is more than {1} (policy plausible.max_passes) (and 1 more segment): is it right?"
        case implausiblePassesMore = "{0} passes is more than {1} (policy plausible.max_passes) (and {2} more segments): is it right?"
        // The stream.
        case duplicateID = "duplicate id \"{0}\": a lesson with this id was already accepted"
        // JSON syntax (JSONTape), placed in a line by `syntaxInLine`.
        case syntaxAtColumn = "{0} (column {1})"
        case syntaxAtColumnExcerpt = "{0} (column {1}): {2}"
        case trailingComma = "trailing comma before '{0}'"
        case documentTooLarge = "document too large (2 GiB or more)"
        case emptyDocument = "empty document"
        case endExpectingValue = "unexpected end of line, expected a value"
        case unexpectedExpectingValue = "unexpected {0}, expected a value"
        case afterValue = "unexpected {0} after the end of the JSON value"
        case endInsideObject = "unexpected end of line inside an object"
        case endInsideArray = "unexpected end of line inside an array"
        case expectingCommaOrClose = "unexpected {0}, expected ',' or '{1}'"
        case expectingKey = "unexpected {0}, expected a string key"
        case endExpectingKey = "unexpected end of line, expected a string key"
        case expectingColon = "expected ':' after an object key"
        case invalidLiteral = "invalid literal, expected '{0}'"
        case numberDigit = "invalid number: expected a digit"
        case numberLeadingZero = "invalid number: leading zero"
        case numberDigitAfterDot = "invalid number: expected a digit after '.'"
        case numberDigitInExponent = "invalid number: expected a digit in the exponent"
        case unterminatedString = "unterminated string"
        case controlCharacter = "control character {0} in a string must be escaped"
        case unterminatedEscape = "unterminated escape"
        case badHexEscape = "invalid \\u escape: expected 4 hex digits"
        case unpairedHighSurrogate = "invalid \\u escape: high surrogate without a low surrogate"
        case loneLowSurrogate = "invalid \\u escape: lone low surrogate"
        case unknownEscape = "invalid escape '\\{0}'"
        case invalidUTF8Byte = "invalid UTF-8 byte 0x{0}"
        case invalidUTF8 = "invalid UTF-8 sequence"
        case character = "'{0}'"
        case byte = "byte 0x{0}"
        // Whole files (FileShape); {0} is the file's name as a shell word.
        case fileUTF16 = "the file is UTF-16, not UTF-8 · 文件编码是 UTF-16，不是 UTF-8: save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 {0} > converted.jsonl"
        case fileGB18030 = "the file is not UTF-8 and looks like GBK/GB18030 (Chinese Windows) · 文件编码像是 GBK/GB18030，不是 UTF-8: save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8 {0} > converted.jsonl"
        case fileJSONArray = "the file is one JSON array, not JSON Lines (one lesson per line) · 文件是 JSON 数组，不是每行一节课的 JSON Lines: convert it with jq -c '.[]' {0} > converted.jsonl"
        case filePretty = "the file is pretty-printed JSON (a lesson over many lines), not JSON Lines (one lesson per line) · 文件是分行排版的 JSON，不是每行一节课的 JSON Lines: convert it with jq -c . {0} > converted.jsonl"
        // Policy files.
        case policyNotJSON = "not valid JSON: {0} (byte {1})"
        case policyNotObject = "a policy must be a JSON object"
        case mustBeObject = "must be an object"
        case mustBeNumber = "must be a number"
        case mustBeNonNegative = "must be a number >= 0"
        case mustBePositive = "must be a number > 0"
        case integerBelowBillion = "must be an integer below 10^9"
        case mustBeShare = "must be a share from 0 to 1"
        case unknownPolicyKey = "unknown policy key"
        case mustBeBoolean = "must be true or false"
        case visitFieldDiffers = "\"{0}\" differs from the first log of the same visit ({1}), whose value is used"
        case visitSameObserver = "a second log of the same visit by the same observer as {0} (or both without one): both are combined; is one a copy?"
        case mustBeStringArray = "must be an array of strings"
        case policyGradeKey = "a grade must be a whole number from 1 to 12"
        case policyGivenTwice = "the same as \"{0}\" ({1}), given already: write its rules once"
        case policyNotInOverride = "cannot be changed per subject or grade (only the standards' sections and coaching)"
        case homeworkMinOverMax = "min_minutes is greater than max_minutes"
        // Filters of `compare`.
        case filterNotFieldValue = "filter \"{0}\" is not FIELD=VALUE, FIELD!=VALUE, tag=NAME or a comparison such as date>=2026-09-01"
        case filterUnknownField = "unknown filter field \"{0}\" (one of {1})"
        case filterComparisonNotAllowed = "filter \"{0}\": {1} takes = or != only (>=, >, <=, < are for date and grade)"
        case filterBadDate = "filter \"{0}\": the date must be YYYY-MM-DD, a real day"
        case filterBadNumber = "filter \"{0}\": the grade must be a whole number"
        // Roster files (CSV).
        case rosterEmpty = "empty roster: expected a header such as id,tier"
        case rosterNoIDColumn = "the header must name an id column (id or 学号, with tier/层次, name/姓名, class/班级, row/行, col/列 as wanted), got \"{0}\""
        case rosterUnknownColumn = "unknown column \"{0}\" (column {1}): expected id (学号), tier (层次), name (姓名), class (班级), row (行), col (列)"
        case rosterFieldCount = "{0} fields where the header has {1}"
        case rosterEmptyID = "empty id"
        case rosterUnknownTier = "unknown tier \"{0}\", expected top, middle or bottom (also 上/中/下, 优/中/后, A/B/C)"
        case rosterBadSeat = "{0} \"{1}\" must be a whole number from 1 to 99"
        case rosterSeatTaken = "row {0}, col {1} is already the seat of \"{2}\""
        case rosterEmptyClass = "empty class"
        case rosterDuplicate = "student \"{0}\" appears twice"
        case rosterDuplicateInClass = "student \"{0}\" appears twice in class \"{1}\""
        case rosterNeedsClass = "rosters by class need a class column (class or 班级) beside id and tier"
        // Homework ledgers (HomeworkDecoder, HomeworkStream, homework_load in policies).
        case assignmentNotObject = "an assignment must be a JSON object, got {0}"
        case numberNotNegative = "must be a number >= 0, got {0}"
        case gradedBeforeSet = "{0} is before the day the homework was set ({1})"
        case duplicateAssignmentID = "duplicate id \"{0}\": an assignment with this id was already accepted"
        case classTwoGrades = "class \"{0}\" is grade {1} here but grade {2} in an earlier line: grade {2} is used for its limit"
        case policyLimitKey = "a grade must be a whole number from 1 to 12, and its limit a number of minutes >= 0 or null"
    }

    /// Words put into templates: what a value is, what was expected.
    public enum Word: String, CaseIterable, Sendable {
        case anObject = "an object", anArray = "an array", aString = "a string", aNumber = "a number"
        case aBoolean = "a boolean", null = "null", anInteger = "an integer", trueOrFalse = "true or false"
        case aDateString = "a string YYYY-MM-DD", aTime = "a time (seconds or \"M:SS\")"
        case arrayOfStudents = "an array of students", arrayOfSegments = "an array of segments"
        case arrayOfPerformances = "an array of performances", arrayOfStrings = "an array of strings"
        case studentObject = "an object {\"id\", \"tier\"}", segmentObject = "a segment object"
        case performanceObject = "a performance object"
        case homeworkObject = "an object {\"assigned\", \"completed\", \"correct\"}"
        case arrayOfNumbers = "an array of numbers"
    }
}
