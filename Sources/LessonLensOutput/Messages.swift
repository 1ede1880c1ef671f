import Foundation
import LessonLensCore
import LessonLensStatistics

/// The words the command line prints (counts, table headers, legends), one
/// table per language with the same keys: a test checks that every key has
/// a text in every language, with the same placeholders. Chinese uses the
/// school's own words (两个10, 一个18, 四个3, 当堂作业, 不拖堂).
public struct Messages: Sendable {
    /// Every text the command line prints, by what it is.
    public enum Key: String, CaseIterable, Sendable {
        // Counts at the end of a run; {n} is a number.
        case lessonsAccepted, oneLessonAccepted, rejected, warnings, oneWarning, inputsFailed, oneInputFailed
        // Table headers.
        case lessons, from, to, id, date, teacher
        case by_teacher, by_subject, by_grade, by_school, by_observer, by_class, by_month, by_all
        case s_two_tens, s_one_eighteen, s_homework_time, s_four_threes, s_on_time
        case metric, standard, pairs, meanDiff, ci95, nA, nB, meanA, meanB, diff, aMet, aCI, bMet, bCI
        // Legends under tables.
        case summaryLegend, trendLegend
        // The command line's own messages; {0}, {1}, ... are values (`text`).
        case readError, zlibStart, truncatedGzip, damagedGzip, noInputFiles, cannotOpen, isDirectory, cannotCreate, cannotWrite
        case cannotReadRoster, rosterFileError, cannotReadPolicy, policyError, policyKeyError
        case filterMatchedNothing, filterMatchedNothingNearest, noLessonWithID, noLessonOfTeacher, noLessonOfTeacherNearest
        case unknownCommand, unknownCommandHint, cannotReadToken, usageErrorPrefix, wrote, fewVisitsNeeded, fewLessons, lessonCount, oneLessonCount, pairedBy
        case optionPositiveSeconds, optionNonNegativeSeconds, optionRange, optionAtLeast, optionNonNegative, optionPositive
        case tableOrJSONOnly, reliabilityTargets, choosePage
        case noIDsNeedsPartial, partialError, partialCut, partialMismatch, partialVisitSplit, partialDuplicate, partialNoIDs, partialNoIDsMade, merged
        case partialNoFormat, partialTwice, partialEmpty, partialNotJSON, partialNotPartial, partialNoVersion, partialOtherVersion
        case lessonsMatched, visitsAndLogs, oneVisitAndLogs, notStable, fewVisitsCells, fewPairs, fewLessonsSide
        // `lessonlens homework`.
        case assignmentCounts, oneAssignmentCounts, assignmentsMatched, filterMatchedNoAssignment, filterMatchedNoAssignmentNearest, filterNotForHomework, lessonsOrHomework, badWeek, weekNeedsBoard, noSuchClass, publicBoardNeedsHomework, rosterEncoding, tlsNeedsBoth
        // `lessonlens serve`: its answers' reasons (sent in both languages at once).
        case serveBodyTooLarge, serveNoStoredLesson, serveBadWeek, serveBadSince, serveTooManyLogins, serveWriteFailed, serveArchiveGone
        case serveNoLedger, serveWrongToken, serveCookieOrigin, serveTokenNeeded, serveLoopbackOnly, serveForeignWrite, serveContentType
        case serveNoLesson, serveNoTeacher, serveNoClass, serveGroupToken, serveEnter, serveHomeworkLink
        case serveLessonFiltered, serveTeacherFiltered, serveWithoutFilter
    }

    /// The language of every text.
    public let language: ReportLanguage

    /// The texts of `language`.
    public init(_ language: ReportLanguage) { self.language = language }

    /// The language of the locale: LC_ALL, then LC_MESSAGES, then LANG.
    public static var localeLanguage: ReportLanguage {
        let env = ProcessInfo.processInfo.environment
        let value = [env["LC_ALL"], env["LC_MESSAGES"], env["LANG"]].compactMap { $0 }.first { !$0.isEmpty }
        return ReportLanguage.fromLocale(value)
    }

    /// The text of `key`, `{n}` replaced by `n` when given.
    public func callAsFunction(_ key: Key, _ n: Int? = nil) -> String {
        let text = (language == .zh ? Messages.chinese : Messages.english)[key] ?? key.rawValue
        return n.map { text.replacingOccurrences(of: "{n}", with: String($0)) } ?? text
    }

    /// `118 lessons accepted, 2 rejected, 1 warning`.
    public func counts(accepted: Int, rejected: Int, warnings: Int, failedInputs: Int) -> String {
        var parts = [self(accepted == 1 ? .oneLessonAccepted : .lessonsAccepted, accepted), self(.rejected, rejected)]
        if warnings > 0 { parts.append(self(warnings == 1 ? .oneWarning : .warnings, warnings)) }
        if failedInputs > 0 { parts.append(self(failedInputs == 1 ? .oneInputFailed : .inputsFailed, failedInputs)) }
        return parts.joined(separator: language == .zh ? "，" : ", ")
    }

    /// "15 visits · 30 logs" (one visit: "1 visit · 2 logs").
    public func visitsAndLogs(_ visits: Int, _ logs: Int) -> String {
        text(visits == 1 ? .oneVisitAndLogs : .visitsAndLogs, "\(visits)", "\(logs)")
    }

    /// The text of `key` with `{0}`, `{1}`, ... replaced by `values`.
    public func text(_ key: Key, _ values: String...) -> String {
        var text = (language == .zh ? Messages.chinese : Messages.english)[key] ?? key.rawValue
        for (k, value) in values.enumerated().reversed() { text = text.replacingOccurrences(of: "{\(k)}", with: value) }
        return text
    }

    /// `key` in this language first, then in the other (`口令不对 · Wrong token`):
    /// for the few words a reader may need before choosing a language.
    public func both(_ key: Key) -> String {
        let other = language == .zh ? Messages.english : Messages.chinese
        return self(key) + " · " + (other[key] ?? key.rawValue)
    }

    /// The header of a grouping column.
    public func groupBy(_ by: GroupBy) -> String { self(Key(rawValue: "by_" + by.rawValue)!) }
    /// The header of a metric's column.
    public func metric(_ m: Metric) -> String { Glossary.name(m, language) }
    /// The header of a standard's column (两个10, ... in Chinese).
    public func standard(_ s: Standard) -> String { self(Key(rawValue: "s_" + s.rawValue)!) }

    /// The English table: what the commands printed before there was a Chinese one.
    public static let english: [Key: String] = [
        .lessonsAccepted: "{n} lessons accepted", .oneLessonAccepted: "{n} lesson accepted", .rejected: "{n} rejected",
        .warnings: "{n} warnings", .oneWarning: "{n} warning", .inputsFailed: "{n} inputs failed", .oneInputFailed: "{n} input failed",
        .lessons: "lessons", .from: "from", .to: "to", .id: "id", .date: "date", .teacher: "teacher",
        .by_teacher: "teacher", .by_subject: "subject", .by_grade: "grade", .by_school: "school", .by_observer: "observer",
        .by_class: "class", .by_month: "month", .by_all: "all",
        .s_two_tens: "2×10", .s_one_eighteen: "18", .s_homework_time: "hw time", .s_four_threes: "4×3", .s_on_time: "on time",
        .metric: "metric", .standard: "standard", .pairs: "pairs", .meanDiff: "mean diff (b−a)", .ci95: "95% CI",
        .nA: "n a", .nB: "n b", .meanA: "mean a", .meanB: "mean b", .diff: "diff (b−a)",
        .aMet: "a met", .aCI: "a 95% CI", .bMet: "b met", .bCI: "b 95% CI",
        .summaryLegend: "cells: mean [95% CI] (minutes; % for reached and done); standards: share met (met/judged)",
        .trendLegend: "cells: change per 30 days (p of the slope); pts = percentage points",
        .readError: "{0}: read error: {1}",
        .zlibStart: "{0}: cannot start decompressing (zlib)",
        .truncatedGzip: "{0}: truncated gzip file: the compressed data ends before the end of its stream ({1} bytes were decompressed and read; the last line may be cut short)",
        .damagedGzip: "{0}: damaged gzip data ({1}) after {2} decompressed bytes; every line before the damage was read",
        .noInputFiles: "no input files (use - for standard input)",
        .cannotOpen: "{0}: cannot open: {1}", .isDirectory: "{0}: is a directory",
        .cannotCreate: "{0}: cannot create: {1}", .cannotWrite: "{0}: cannot write",
        .cannotReadRoster: "{0}: cannot read roster file",
        .rosterFileError: "{0}: line {1}: {2} (roster file)",
        .cannotReadPolicy: "{0}: cannot read policy file",
        .policyError: "{0}: {1}", .policyKeyError: "{0}: {1}: {2}",
        .filterMatchedNothing: "{0} {1} matched no lesson",
        .filterMatchedNothingNearest: "{0} {1} matched no lesson (nearest: {2})",
        .noLessonWithID: "no accepted lesson with id \"{0}\" in the input",
        .noLessonOfTeacher: "no accepted lesson of teacher \"{0}\" in the input",
        .noLessonOfTeacherNearest: "no accepted lesson of teacher \"{0}\" in the input (nearest: {1})",
        .unknownCommand: "unknown command \"{0}\"; commands: {1}",
        .unknownCommandHint: "unknown command \"{0}\" (did you mean \"{1}\"?); commands: {2}",
        .cannotReadToken: "{0}: cannot read token file",
        .usageErrorPrefix: "Error: ", .wrote: "wrote {0} ({1} KB)", .lessonCount: "{0} lessons", .oneLessonCount: "{0} lesson", .pairedBy: "paired by {0}",
        .optionPositiveSeconds: "{0} must be a number of seconds > 0", .optionNonNegativeSeconds: "{0} must be a number of seconds >= 0",
        .optionRange: "{0} must be from {1} to {2}", .optionAtLeast: "{0} must be at least {1}", .optionNonNegative: "{0} must be >= 0",
        .optionPositive: "{0} must be > 0", .tableOrJSONOnly: "{0} writes table or json",
        .reliabilityTargets: "--target takes reliabilities between 0 and 1, comma-separated (e.g. 0.7,0.8)",
        .choosePage: "choose exactly one of --teacher, --lesson, --all, --brief, --homework and --board",
        .fewVisitsNeeded: "⚠ fewer visits than the {0} needed for reliability 0.7 on the standards' metrics (lessonlens reliability) · 听课次数不足以可靠评价（需 {0} 次）",
        .fewLessons: "⚠ fewer than {0} lessons: too few visits to judge by · 听课少于{0}次，不足以评价",
        .lessonsMatched: "{0} lessons matched of {1}",
        .assignmentCounts: "{0} assignments accepted, {1} rejected",
        .oneAssignmentCounts: "{0} assignment accepted, {1} rejected",
        .assignmentsMatched: "{0} assignments matched of {1}",
        .filterMatchedNoAssignment: "{0} {1} matched no assignment",
        .filterMatchedNoAssignmentNearest: "{0} {1} matched no assignment (nearest: {2})",
        .badWeek: "--week {0}: expected an ISO week YYYY-Www, such as 2026-W37",
        .weekNeedsBoard: "--week goes with --board CLASS",
        .publicBoardNeedsHomework: "--public-board goes with --homework FILE",
        .tlsNeedsBoth: "--tls-cert and --tls-key go together",
        .serveBodyTooLarge: "the body is larger than {0} bytes", .serveNoStoredLesson: "no stored lesson has this id",
        .serveBadWeek: "week must be an ISO week YYYY-Www", .serveBadSince: "since must be a whole number from 0 below 2^63",
        .serveTooManyLogins: "too many login attempts; wait a minute", .serveWriteFailed: "the write failed; nothing was stored", .serveArchiveGone: "the archive file is no longer usable",
        .serveNoLedger: "this server keeps no homework ledger (serve --homework FILE)", .serveWrongToken: "wrong token",
        .serveCookieOrigin: "a write with the login cookie must come from this server's pages",
        .serveTokenNeeded: "a token is needed (Authorization: Bearer ...)",
        .serveLoopbackOnly: "this server answers only on 127.0.0.1 and localhost (no token)",
        .serveForeignWrite: "a write from another site (Origin {0}) is refused",
        .serveContentType: "send JSON Lines with Content-Type: application/x-ndjson (or application/json)",
        .serveNoLesson: "no lesson with id \"{0}\" in the archive", .serveNoTeacher: "no lesson of teacher \"{0}\" in the archive",
        .serveNoClass: "no class \"{0}\" in the homework ledger",
        .serveGroupToken: "Group token", .serveEnter: "Enter", .serveHomeworkLink: "Homework load",
        .serveLessonFiltered: "lesson \"{0}\" is in the archive but not among the lessons where {1}",
        .serveTeacherFiltered: "teacher \"{0}\" has no lesson where {1}", .serveWithoutFilter: "The page without the filter",
        .rosterEncoding: "{0}: not UTF-8; read as {1} (Excel's CSV on Chinese Windows). Check the names on the seats.",
        .noSuchClass: "no assignment of class \"{0}\" in the ledger (classes: {1})",
        .lessonsOrHomework: "give --lessons N (an observation archive) or --homework N (a homework ledger), one of them",
        .filterNotForHomework: "--where {0}: assignments have no {0} (filter by teacher, subject, grade, school, class, month or date)",
        .noIDsNeedsPartial: "--no-ids goes with --partial",
        .partialError: "{0}:{1}: {2}",
        .partialCut: "{0}: the partial has no closing line (or its row count differs): it was cut short; make it again",
        .partialMismatch: "{0}: made with {1} {2}, but {3} with {4}: only parts made with the same --by, --per-log and policy can be merged",
        .partialVisitSplit: "{0}:{1}: visit \"{2}\" is also in {3}: split an archive so that each visit's logs stay in one part (by school, teacher or file); its logs were combined",
        .partialDuplicate: "{0}:{1}: id: duplicate id \"{2}\": a lesson with this id was accepted in {3} (the first part's is kept)",
        .partialNoIDs: "{0} was made with --no-ids: an id given in two parts cannot be found",
        .merged: "merged {0} partials",
        .partialNoFormat: "--partial writes its own format (docs/scale-out.md): leave out --format; merge takes it",
        .partialTwice: "{0} is given twice: its lessons would count twice",
        .partialEmpty: "{0}: empty: not a summary partial (make one with lessonlens summary --partial)",
        .partialNotJSON: "not JSON: {0}",
        .partialNotPartial: "not a summary partial (an observation log?): make one with lessonlens summary --partial",
        .partialNoVersion: "the header's version is missing or not a number",
        .partialOtherVersion: "a partial of format version {0}; this lessonlens reads version {1}: make it again with lessonlens summary --partial of this version",
        .partialNoIDsMade: "--no-ids: the partial holds no lesson ids nor visit keys; a merge cannot find an id given in two parts",
        .visitsAndLogs: "{0} visits · {1} logs",
        .oneVisitAndLogs: "{0} visit · {1} logs",
        .notStable: "not stable: judge lesson by lesson",
        .fewVisitsCells: "⚠ beside a value: fewer visits than that metric needs for reliability 0.7 (lessonlens reliability on the same lessons: the same files and --where)",
        .fewPairs: "⚠ fewer than 5 pairs: read the test with care; with fewer than 3 no test is given",
        .fewLessonsSide: "⚠ fewer than 5 lessons on a side: read the test with care; with fewer than 2 no test is given",
    ]

    /// The Chinese table, the school's own words for the standards.
    public static let chinese: [Key: String] = [
        .lessonsAccepted: "接受{n}节课", .oneLessonAccepted: "接受{n}节课", .rejected: "拒绝{n}节", .warnings: "警告{n}条",
        .oneWarning: "警告{n}条", .inputsFailed: "{n}个输入读取失败", .oneInputFailed: "{n}个输入读取失败",
        .lessons: "课数", .from: "起", .to: "止", .id: "编号", .date: "日期", .teacher: "教师",
        .by_teacher: "教师", .by_subject: "学科", .by_grade: "年级", .by_school: "学校", .by_observer: "听课人",
        .by_class: "班级", .by_month: "月份", .by_all: "全部",
        .s_two_tens: "两个10", .s_one_eighteen: "一个18", .s_homework_time: "当堂作业", .s_four_threes: "四个3", .s_on_time: "不拖堂",
        .metric: "指标", .standard: "标准", .pairs: "配对数", .meanDiff: "平均差（b−a）", .ci95: "95%置信区间",
        .nA: "a课数", .nB: "b课数", .meanA: "a平均", .meanB: "b平均", .diff: "差（b−a）",
        .aMet: "a达标", .aCI: "a 95%置信区间", .bMet: "b达标", .bCI: "b 95%置信区间",
        .summaryLegend: "单元格：平均值 [95%置信区间]（分钟；覆盖与完成为%）；标准：达标比例（达标/可判断）",
        .trendLegend: "单元格：每30天的变化（斜率的p值）；pts = 百分点",
        .readError: "{0}：读取出错：{1}",
        .zlibStart: "{0}：无法开始解压（zlib）",
        .truncatedGzip: "{0}：gzip 文件不完整：压缩数据在数据流结束前就断了（已解压并读取 {1} 字节；最后一行可能被截断）",
        .damagedGzip: "{0}：gzip 数据损坏（{1}），位于解压后第 {2} 字节之后；损坏之前的每一行都已读取",
        .noInputFiles: "没有输入文件（标准输入用 -）",
        .cannotOpen: "{0}：无法打开：{1}", .isDirectory: "{0}：是一个目录",
        .cannotCreate: "{0}：无法创建：{1}", .cannotWrite: "{0}：无法写入",
        .cannotReadRoster: "{0}：无法读取名单文件",
        .rosterFileError: "{0}：第 {1} 行：{2}（名单文件有误）",
        .cannotReadPolicy: "{0}：无法读取政策文件",
        .policyError: "{0}：{1}", .policyKeyError: "{0}：{1}：{2}",
        .filterMatchedNothing: "{0} {1} 没有匹配任何课",
        .filterMatchedNothingNearest: "{0} {1} 没有匹配任何课（最接近的：{2}）",
        .noLessonWithID: "输入中没有编号为 \"{0}\" 的已接受的课",
        .noLessonOfTeacher: "输入中没有教师 \"{0}\" 的已接受的课",
        .noLessonOfTeacherNearest: "输入中没有教师 \"{0}\" 的已接受的课（最接近的：{1}）",
        .unknownCommand: "未知命令 \"{0}\"；可用命令：{1}",
        .unknownCommandHint: "未知命令 \"{0}\"（是不是 \"{1}\"？）；可用命令：{2}",
        .cannotReadToken: "{0}：无法读取令牌文件",
        .usageErrorPrefix: "错误：", .wrote: "已写入 {0}（{1} KB）", .lessonCount: "{0}节课", .oneLessonCount: "{0}节课", .pairedBy: "按{0}配对",
        .optionPositiveSeconds: "{0} 必须是大于 0 的秒数", .optionNonNegativeSeconds: "{0} 必须是不小于 0 的秒数",
        .optionRange: "{0} 必须在 {1} 到 {2} 之间", .optionAtLeast: "{0} 至少为 {1}", .optionNonNegative: "{0} 必须不小于 0",
        .optionPositive: "{0} 必须大于 0", .tableOrJSONOnly: "{0} 只输出 table 或 json",
        .reliabilityTargets: "--target 取 0 到 1 之间的信度，用逗号分隔（例如 0.7,0.8）",
        .choosePage: "--teacher、--lesson、--all、--brief、--homework 与 --board 必须且只能选一个",
        .fewVisitsNeeded: "⚠ 听课次数少于标准各指标信度达到 0.7 所需的 {0} 次（lessonlens reliability），不足以可靠评价",
        .fewLessons: "⚠ 听课少于 {0} 次，不足以评价",
        .lessonsMatched: "{1} 节课中 {0} 节符合筛选条件",
        .assignmentCounts: "接受{0}项作业，拒绝{1}项",
        .oneAssignmentCounts: "接受{0}项作业，拒绝{1}项",
        .assignmentsMatched: "{1} 项作业中 {0} 项符合筛选条件",
        .filterMatchedNoAssignment: "{0} {1} 没有匹配任何作业",
        .filterMatchedNoAssignmentNearest: "{0} {1} 没有匹配任何作业（最接近的：{2}）",
        .badWeek: "--week {0}：应为 ISO 周 YYYY-Www，例如 2026-W37",
        .weekNeedsBoard: "--week 要与 --board 班级 一起使用",
        .publicBoardNeedsHomework: "--public-board 要与 --homework 文件 一起使用",
        .tlsNeedsBoth: "--tls-cert 与 --tls-key 须一起给出",
        .serveBodyTooLarge: "请求体超过 {0} 字节", .serveNoStoredLesson: "没有此编号的课",
        .serveBadWeek: "week 应为 YYYY-Www", .serveBadSince: "since 必须是非负整数",
        .serveTooManyLogins: "登录尝试过多，请一分钟后再试", .serveWriteFailed: "写入失败，未保存", .serveArchiveGone: "档案文件已不可用",
        .serveNoLedger: "未配置作业台账", .serveWrongToken: "口令不对",
        .serveCookieOrigin: "需从本站页面提交",
        .serveTokenNeeded: "需要口令",
        .serveLoopbackOnly: "无口令时只接受本机地址",
        .serveForeignWrite: "拒绝来自其他网站（Origin {0}）的写入",
        .serveContentType: "请用 Content-Type: application/x-ndjson 发送",
        .serveNoLesson: "档案中没有编号为“{0}”的课", .serveNoTeacher: "档案中没有教师“{0}”的课",
        .serveNoClass: "作业台账中没有班级“{0}”",
        .serveGroupToken: "教研组口令", .serveEnter: "进入", .serveHomeworkLink: "作业统筹",
        .serveLessonFiltered: "档案中有课“{0}”，但它不符合筛选条件 {1}",
        .serveTeacherFiltered: "教师“{0}”没有符合筛选条件 {1} 的课", .serveWithoutFilter: "不加筛选的页面",
        .rosterEncoding: "{0}：不是 UTF-8，已按 {1} 读取（中文 Windows 上 Excel 保存的 CSV）。请核对座位上的姓名。",
        .noSuchClass: "作业台账中没有班级 \"{0}\" 的作业（班级：{1}）",
        .lessonsOrHomework: "请给出 --lessons N（听课记录）或 --homework N（作业台账）之一",
        .filterNotForHomework: "--where {0}：作业没有 {0} 字段（可按 teacher、subject、grade、school、class、month 或 date 筛选）",
        .noIDsNeedsPartial: "--no-ids 要与 --partial 一起使用",
        .partialError: "{0}：第 {1} 行：{2}",
        .partialCut: "{0}：部分汇总缺少结尾行（或行数不符），文件不完整，请重新生成",
        .partialMismatch: "{0}：用 {1} {2} 生成，而 {3} 用的是 {4}：只能合并以相同 --by、--per-log 与政策生成的部分",
        .partialVisitSplit: "{0}：第 {1} 行：听课 \"{2}\" 也在 {3} 中：拆分档案时须让同一次听课的记录留在同一部分（按学校、教师或文件拆分）；已将其记录合并",
        .partialDuplicate: "{0}：第 {1} 行：id：重复的编号 \"{2}\"：{3} 中已接受此编号的课（保留先出现的部分）",
        .partialNoIDs: "{0} 用 --no-ids 生成：无法发现两部分中重复的编号",
        .merged: "合并了 {0} 个部分汇总",
        .partialNoFormat: "--partial 输出自己的格式（docs/scale-out.md）：请去掉 --format，由 merge 指定",
        .partialTwice: "{0} 给了两次：其中的课会被计算两次",
        .partialEmpty: "{0}：空文件，不是部分汇总（请用 lessonlens summary --partial 生成）",
        .partialNotJSON: "不是 JSON：{0}",
        .partialNotPartial: "不是部分汇总（是听课记录吗？）：请用 lessonlens summary --partial 生成",
        .partialNoVersion: "文件头缺少版本号，或版本号不是数字",
        .partialOtherVersion: "格式版本为 {0} 的部分汇总；本 lessonlens 读取版本 {1}：请用本版本的 lessonlens summary --partial 重新生成",
        .partialNoIDsMade: "--no-ids：部分汇总不含课的编号与听课键；合并时无法发现两部分中重复的编号",
        .visitsAndLogs: "{0} 次听课 · {1} 份记录",
        .oneVisitAndLogs: "{0} 次听课 · {1} 份记录",
        .notStable: "不稳定：逐节评价",
        .fewVisitsCells: "⚠ 标在数值旁：听课次数少于该指标信度达到 0.7 所需（对同样的课运行 lessonlens reliability：同样的文件与 --where）",
        .fewPairs: "⚠ 配对少于 5 个：检验结果需谨慎解读；少于 3 个不做检验",
        .fewLessonsSide: "⚠ 一侧少于 5 节课：检验结果需谨慎解读；少于 2 节不做检验",
    ]
}
