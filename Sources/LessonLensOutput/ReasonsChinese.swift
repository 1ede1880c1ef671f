import LessonLensCore

/// The library's messages (`Reason.Template`) and the words put into them
/// (`Reason.Word`) in Chinese. Field names, JSON punctuation and the log's
/// own values stay as written, so a message still points at the line.
extension Messages {
    /// Each library message in Chinese, with the same `{k}` values.
    public static let chineseReasons: [Reason.Template: String] = [
        .presentOverEnrolled: "到课 {0} 人，但在册只有 {1} 人",
        .timePastLatest: "时间 {0} 超过了 duration_min + 60 分钟（{1} 分钟）",
        .timeTooLarge: "时间 {0} 太大：超过了 duration_min + 60 分钟（{1} 分钟）",
        .endNotAfterStart: "结束时间 {0} 不在开始时间 {1} 之后",
        .completedOverAssigned: "完成 {0} 份，但只布置了 {1} 份",
        .correctOverCompleted: "正确 {0} 份，但只完成了 {1} 份",
        .secondsForMinutes: "所有时间都是不带引号的数字，按秒计；最后一个是 {0} 秒，而这节课有 {1} 分钟：是不是想写 \"{2}:00\"？",
        .lessonNotObject: "一节课必须是一个 JSON 对象，这里是{0}",
        .mustNotBeEmpty: "不能为空",
        .notADate: "\"{0}\" 不是 YYYY-MM-DD 格式的日期",
        .durationNotPositive: "必须是大于 0 的数，这里是 {0}",
        .notAnInteger: "必须是整数，这里是 {0}",
        .integerOutOfRange: "整数 {0} 超出范围（必须在 -9e15 与 9e15 之间）",
        .integerAtLeast: "必须是不小于 {0} 的整数，这里是 {1}",
        .integerBetween: "必须是 {0} 到 {1} 之间的整数，这里是 {2}",
        .unknownValue: "未知的值 \"{0}\"，应为以下之一：{1}",
        .unknownValueHint: "未知的值 \"{0}\"（是不是 \"{1}\"？），应为以下之一：{2}",
        .negativeTime: "时间 {0} 必须是不小于 0 的秒数或 \"M:SS\"",
        .notMinutesSeconds: "时间 \"{0}\" 不是 \"M:SS\" 格式（分钟、冒号、00-59 的秒）",
        .unknownField: "未知字段，已忽略",
        .unknownFieldHint: "未知字段，已忽略（是不是 \"{0}\"？）",
        .appearsTwice: "出现了两次",
        .missingField: "缺少必填字段",
        .wrongType: "必须是{0}，这里是{1}",
        .wrongTypeValue: "必须是{0}，这里是{1} {2}",
        .oneOf: "以下之一：{0}",
        .repeatedOnRoster: "学生 \"{0}\" 在名单中出现了两次",
        .notOnRoster: "学生 \"{0}\" 不在本节课的名单上",
        .notOnClassRoster: "学生 \"{0}\" 不在 {2} 中班级 \"{1}\" 的名单上",
        .readPassesOverflow: "朗读遍数之和超过 {0}，太大，无法计数",
        .copyPassesOverflow: "抄写遍数之和超过 {0}，太大，无法计数",
        .giniTooLarge: "展示次数与学生人数太多，无法计算基尼系数",
        .implausibleDuration: "{0} 分钟比 {1} 分钟还长（政策 plausible.max_duration_min）：确定吗？",
        .implausibleStudents: "{0} 名学生超过了 {1} 名（政策 plausible.max_students）：确定吗？",
        .implausiblePasses: "{0} 遍超过了 {1} 遍（政策 plausible.max_passes）：确定吗？",
        .implausiblePassesOneMore: "{0} 遍超过了 {1} 遍（政策 plausible.max_passes）（另有 1 个环节也是）：确定吗？",
        .implausiblePassesMore: "{0} 遍超过了 {1} 遍（政策 plausible.max_passes）（另有 {2} 个环节也是）：确定吗？",
        .duplicateID: "编号 \"{0}\" 重复：已经接受了一节同编号的课",
        .syntaxAtColumn: "{0}（第 {1} 列）",
        .syntaxAtColumnExcerpt: "{0}（第 {1} 列）：{2}",
        .trailingComma: "'{0}' 前面多了一个逗号",
        .documentTooLarge: "内容太大（2 GiB 或以上）",
        .emptyDocument: "空行",
        .endExpectingValue: "行意外结束，这里应有一个值",
        .unexpectedExpectingValue: "意外的 {0}，这里应有一个值",
        .afterValue: "JSON 值结束后出现了意外的 {0}",
        .endInsideObject: "行在一个对象内部意外结束",
        .endInsideArray: "行在一个数组内部意外结束",
        .expectingCommaOrClose: "意外的 {0}，这里应是 ',' 或 '{1}'",
        .expectingKey: "意外的 {0}，这里应是一个字符串键",
        .endExpectingKey: "行意外结束，这里应是一个字符串键",
        .expectingColon: "对象的键后面应有 ':'",
        .invalidLiteral: "无效的字面量，应为 '{0}'",
        .numberDigit: "无效的数字：这里应有一位数字",
        .numberLeadingZero: "无效的数字：开头多了 0",
        .numberDigitAfterDot: "无效的数字：'.' 后面应有数字",
        .numberDigitInExponent: "无效的数字：指数中应有数字",
        .unterminatedString: "字符串没有结束",
        .controlCharacter: "字符串中的控制字符 {0} 必须转义",
        .unterminatedEscape: "转义没有结束",
        .badHexEscape: "无效的 \\u 转义：应有 4 位十六进制数字",
        .unpairedHighSurrogate: "无效的 \\u 转义：高位代理后面没有低位代理",
        .loneLowSurrogate: "无效的 \\u 转义：单独的低位代理",
        .unknownEscape: "无效的转义 '\\{0}'",
        .invalidUTF8Byte: "无效的 UTF-8 字节 0x{0}",
        .invalidUTF8: "无效的 UTF-8 序列",
        .character: "'{0}'",
        .byte: "字节 0x{0}",
        .fileUTF16: "文件编码是 UTF-16，不是 UTF-8：请另存为 UTF-8，例如 iconv -f UTF-16 -t UTF-8 {0} > converted.jsonl",
        .fileGB18030: "文件编码不是 UTF-8，像是 GBK/GB18030（中文 Windows）：请另存为 UTF-8，例如 iconv -f GB18030 -t UTF-8 {0} > converted.jsonl",
        .fileJSONArray: "文件是一个 JSON 数组，不是每行一节课的 JSON Lines：请转换，例如 jq -c '.[]' {0} > converted.jsonl",
        .filePretty: "文件是分行排版的 JSON（一节课占多行），不是每行一节课的 JSON Lines：请转换，例如 jq -c . {0} > converted.jsonl",
        .policyNotJSON: "不是有效的 JSON：{0}（第 {1} 字节）",
        .policyNotObject: "政策文件必须是一个 JSON 对象",
        .mustBeObject: "必须是一个对象",
        .mustBeNumber: "必须是数",
        .mustBeNonNegative: "必须是不小于 0 的数",
        .mustBePositive: "必须是大于 0 的数",
        .integerBelowBillion: "必须是小于 10^9 的整数",
        .mustBeShare: "必须是 0 到 1 之间的比例",
        .unknownPolicyKey: "未知的政策键",
        .mustBeBoolean: "必须是 true 或 false",
        .visitFieldDiffers: "\"{0}\" 与同一次听课的第一份记录（{1}）不同，采用第一份记录的值",
        .visitSameObserver: "同一次听课、与 {0} 同一位听课人（或都没有写听课人）的第二份记录：两份都已合并；是否重复录入？",
        .mustBeStringArray: "必须是字符串数组",
        .policyGradeKey: "年级必须是 1 到 12 的整数",
        .policyGivenTwice: "与已写的 \"{0}\"（{1}）是同一个，请只写一次",
        .policyNotInOverride: "不能按学科或年级修改（只能修改各项标准与 coaching）",
        .homeworkMinOverMax: "min_minutes 大于 max_minutes",
        .filterNotFieldValue: "筛选条件 \"{0}\" 不是 FIELD=VALUE、FIELD!=VALUE、tag=NAME 或 date>=2026-09-01 这样的比较",
        .filterComparisonNotAllowed: "筛选条件 \"{0}\"：{1} 只能用 = 或 !=（>=、>、<=、< 只用于 date 和 grade）",
        .filterBadDate: "筛选条件 \"{0}\"：日期必须是真实存在的 YYYY-MM-DD",
        .filterBadNumber: "筛选条件 \"{0}\"：年级必须是整数",
        .filterUnknownField: "未知的筛选字段 \"{0}\"（应为以下之一：{1}）",
        .rosterEmpty: "名单为空：应有表头，例如 id,tier",
        .rosterNoIDColumn: "表头必须有 id 列（id,tier 或 class,id,tier，name 可选），这里是 \"{0}\"",
        .rosterUnknownColumn: "未知的列 \"{0}\"（第 {1} 列）：应为 id、tier、name、class",
        .rosterFieldCount: "有 {0} 个字段，而表头有 {1} 个",
        .rosterEmptyID: "id 为空",
        .rosterUnknownTier: "未知的层次 \"{0}\"，应为 top、middle 或 bottom",
        .rosterEmptyClass: "班级为空",
        .rosterDuplicate: "学生 \"{0}\" 出现了两次",
        .rosterDuplicateInClass: "学生 \"{0}\" 在班级 \"{1}\" 中出现了两次",
        .rosterNeedsClass: "按班级的名单需要 class 列：class,id,tier",
    ]

    /// Each word put into a message, in Chinese.
    public static let chineseWords: [Reason.Word: String] = [
        .anObject: "对象", .anArray: "数组", .aString: "字符串", .aNumber: "数", .aBoolean: "布尔值", .null: "null",
        .anInteger: "整数", .trueOrFalse: "true 或 false", .aDateString: "YYYY-MM-DD 格式的字符串",
        .aTime: "时间（秒数或 \"M:SS\"）", .arrayOfStudents: "学生数组", .arrayOfSegments: "环节数组",
        .arrayOfPerformances: "展示数组", .arrayOfStrings: "字符串数组", .studentObject: "对象 {\"id\", \"tier\"}",
        .segmentObject: "环节对象", .performanceObject: "展示对象",
        .homeworkObject: "对象 {\"assigned\", \"completed\", \"correct\"}",
    ]

    /// `reason` in this language.
    public func callAsFunction(_ reason: Reason) -> String {
        guard language == .zh else { return reason.description }
        return reason.render(template: { Messages.chineseReasons[$0] ?? $0.rawValue },
                             word: { Messages.chineseWords[$0] ?? $0.rawValue })
    }

    /// `FILE:LINE: FIELD: reason`, with `warning:` (`警告:`) before the field
    /// of a warning.
    public func callAsFunction(_ diagnostic: Diagnostic) -> String {
        let mark = diagnostic.severity == .warning ? (language == .zh ? "警告: " : "warning: ") : ""
        return "\(diagnostic.file):\(diagnostic.line): \(mark)\(diagnostic.issue.field): \(self(diagnostic.issue.why))"
    }
}
