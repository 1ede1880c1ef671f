(function () {
"use strict";
var CONFIG = window.LESSONLENS_CONFIG;
var KINDS = ["read", "write", "homework", "lecture", "discussion", "group", "activity", "transition", "other"];
var PERF_KINDS = ["answer", "read", "board", "present", "question", "demo", "other"];
var TASKS = ["copy", "dictation", "exercise", "composition"];
var ACTIVE = { read: 1, write: 1, homework: 1, group: 1, activity: 1, discussion: 1 };
var TIER_MARK = { top: ["T", "上"], middle: ["M", "中"], bottom: ["B", "下"] };
var W = {
  title: ["Lesson observation", "听课记录"], setup: ["Set-up", "课前设置"], teacher: ["Teacher", "教师"], subject: ["Subject", "学科"],
  grade: ["Grade (1-12)", "年级 (1-12)"], class: ["Class", "班级"], school: ["School", "学校"], observer: ["Observer", "听课人"],
  period: ["Period", "节次"], date: ["Date", "日期"], duration_min: ["Scheduled minutes", "计划时长（分钟）"],
  enrolled: ["Enrolled", "在册人数"], present: ["Present", "实到人数"], tags: ["Tags (comma-separated)", "标签（逗号分隔）"],
  notes: ["Notes (评课意见)", "评课意见"],
  roster: ["Roster: paste cells from Excel or CSV, header id,tier,name,row,col (or 学号,层次,姓名,行,列); names stay on this device",
           "学生名单：可从 Excel 复制粘贴或用 CSV，表头 学号,层次,姓名,行,列（或 id,tier,name,row,col）；姓名只留在本机"],
  start: ["Start the lesson clock", "开始计时"], record: ["Recording", "记录中"], overlap: ["Overlap activities", "活动可重叠"],
  prompted: ["Prompted answers", "提示/齐答"], undo: ["Undo", "撤销"], end: ["End lesson", "下课"], save: ["Save lesson", "保存"],
  export: ["Download .jsonl", "导出 .jsonl"], copy: ["Copy", "复制"], del: ["Delete", "删除"], newLesson: ["New lesson", "新的听课"],
  readPass: ["+1 read-through", "+1 遍朗读"], copyPass: ["+1 copy", "+1 遍抄写"], task: ["Writing task", "书写任务"],
  perfKind: ["Performance", "表现类型"], seats: ["Seats: tap = on their own; long press or Prompted = prompted", "座位：点按=独立表现；长按或“提示”=非独立"],
  elapsed: ["Elapsed", "已用时"], of: ["of", "共"], overrun: ["overrun", "拖堂"], reading: ["Reading", "朗读"], writing: ["Writing", "书写"],
  performers: ["On their own", "独立表现人数"], bottom: ["Bottom third reached", "后三分之一覆盖"], homework: ["Homework", "当堂作业"],
  secondHalf: ["2nd-half activity", "后半程学生活动"], endTitle: ["End of lesson", "课后"], assigned: ["Homework assigned to", "布置作业人数"],
  completed: ["Completed in class", "当堂完成人数"], correct: ["Correct", "正确人数"], read_passes: ["Read-throughs of the text", "课文朗读遍数"],
  copy_passes: ["Copies of each new character", "生字抄写遍数"], segments: ["Segments (times can be corrected)", "活动片段（可修改时间）"],
  standards: ["Standards", "达标情况"], saved: ["Saved lessons on this device", "本机已保存的听课记录"], none: ["none", "无"],
  dropped: ["segments shorter than 2 seconds (mis-taps) will be dropped", "个短于2秒的片段（误触）将被删除"],
  queued: ["waiting to be sent", "待上传"], sent: ["sent", "已上传"], selectHint: ["Nothing selected: all are exported.", "未选择时导出全部。"],
  confirmDelete: ["Delete the selected lessons from this device?", "从本机删除所选记录？"], copied: ["Copied.", "已复制。"],
  two_tens: ["Two 10s", "两个10"], one_eighteen: ["One 18", "一个18"], homework_time: ["Homework time", "当堂作业"],
  four_threes: ["Four 3s", "四个3"], on_time: ["On time", "不拖堂"], met: ["met", "达标"], notMet: ["not met", "未达标"], cannotTell: ["cannot tell", "无法判断"],
  kind_read: ["read", "朗读"], kind_write: ["write", "书写"], kind_homework: ["homework", "当堂作业"], kind_lecture: ["lecture", "讲授"],
  kind_discussion: ["discussion", "问答讨论"], kind_group: ["group", "小组"], kind_activity: ["activity", "活动"],
  kind_transition: ["transition", "过渡"], kind_other: ["other", "其他"],
  err_teacher: ["teacher: required", "教师：必填"], err_subject: ["subject: required", "学科：必填"],
  err_grade: ["grade: must be an integer from 1 to 12", "年级：须为1到12的整数"], err_duration: ["duration_min: must be a number > 0", "计划时长：须为大于0的数"],
  err_count: ["must be an integer >= 0", "须为不小于0的整数"], err_present: ["present: more students present than enrolled", "实到人数多于在册人数"],
  err_period: ["period: must be an integer", "节次：须为整数"], err_date: ["date: must be a real day, YYYY-MM-DD", "日期：须为真实存在的日期（YYYY-MM-DD）"],
  err_hw: ["homework: completed must not exceed assigned, correct not completed", "作业：完成人数不得多于布置人数，正确人数不得多于完成人数"],
  err_time: ["times must be M:SS (minutes:seconds) with end after start", "时间格式为 分:秒，且结束晚于开始"],
  err_late: ["a time is past the lesson's length + 60 minutes", "时间超过了计划时长加 60 分钟"],
  p_answer: ["answer", "回答"], p_read: ["read aloud", "朗读"], p_board: ["at the board", "板演"], p_present: ["present", "展示"],
  p_question: ["question", "提问"], p_demo: ["demonstrate", "示范"], p_other: ["other", "其他"],
  t_copy: ["copy characters", "抄写生字"], t_dictation: ["dictation", "听写"], t_exercise: ["exercise", "练习"], t_composition: ["composition", "作文"],
  hwOpen: ["Homework ledger", "布置作业登记"], hwTitle: ["Homework set today", "作业登记"], hwWhere: ["Done", "完成地点"],
  hw_home: ["at home", "家庭作业"], hw_class: ["in class (当堂)", "当堂完成"], hwKind: ["Kind", "类型"],
  hk_written: ["written", "书面"], hk_oral: ["oral", "口头"], hk_reading: ["reading", "阅读"], hk_practical: ["practical", "实践"],
  hwEstimated: ["Minutes a middle student needs", "中等生所需分钟数"], hwReported: ["Students' reported minutes (comma-separated)", "学生反馈用时（分钟，逗号分隔）"],
  hwTiered: ["Tiered (分层)", "分层作业"], hwExempt: ["Students excused", "免做人数"], hwGraded: ["Marked on (YYYY-MM-DD)", "批改日期（YYYY-MM-DD）"],
  hwEssay: ["Essay", "作文"], hwNotes: ["Notes", "备注"], hwPublished: ["Show on the parents' board", "向家长公示"], hwSave: ["Save homework", "保存作业"],
  hwBack: ["Back to lessons", "返回听课"], hwSaved: ["Homework saved on this device", "本机保存的作业登记"],
  st_local: ["on this phone only", "仅存本机"], st_queued: ["waiting to be sent", "待上传"], st_sent: ["sent ✓", "已上传 ✓"],
  st_refused: ["refused", "被拒绝"], st_login: ["waiting for login", "等待登录"], hwDone: ["Saved.", "已保存。"],
  err_class: ["class: required", "班级：必填"], err_estimated: ["minutes: must be a number > 0", "所需分钟数：须为大于0的数"],
  err_reported: ["reported minutes: numbers >= 0 separated by commas", "学生反馈用时：以逗号分隔的不小于0的数"],
  err_graded: ["marked on: a real date YYYY-MM-DD, not before the day it was set", "批改日期：须为真实日期，且不早于布置日期"],
  front: ["Front (teacher's desk)", "讲台"], promptedOn: ["Prompted mode on: seat taps are prompted answers", "提示模式已开：点座位记为非独立（提示/齐答）"], rosterClasses: ["Class roster", "选择班级名单"], panelToggle: ["Show or hide the figures", "展开或收起数据"], tier_top: ["top third", "前三分之一"], tier_middle: ["middle third", "中间三分之一"],
  tier_bottom: ["bottom third", "后三分之一"],
  startedAgo: ["Started minutes ago (arrived late)", "已开课分钟数（迟到时填写）"], err_started: ["started minutes ago: a number from 0 to the lesson's length", "已开课分钟数：须为0到课时长度之间的数"],
  confirmEnd: ["End now", "确认下课"], cancelEnd: ["Keep recording", "继续记录"], askEnd: ["End the lesson?", "确定下课吗？"],
  resume: ["Resume recording", "继续记录"], addSegment: ["+ Segment", "+ 添加片段"], delSegment: ["Delete", "删除"],
  performances: ["Performances (can be corrected)", "学生表现（可修改）"], student: ["Student", "学生"], independentShort: ["on their own", "独立"],
  delPerformance: ["Delete", "删除"], edit: ["Edit", "修改"], st_login_hint: ["log in", "登录"], revisionOnServer: ["the server has version", "服务器上为第 "],
  revisionSuffix: ["", " 版"], editTitle: ["Correct a saved lesson", "修改已保存的记录"], err_segment_kind: ["choose a kind for every segment", "每个片段须选择类型"],
  err_student: ["every performance needs a student", "每条表现须填写学生"]
};
var zh = CONFIG.lang === "zh";
function t(key) { var w = W[key]; return w ? (zh ? w[1] : w[0]) : key; }
// The zh page is Chinese throughout; the en page gives the Chinese term beside
// headings (the school's own words).
function both(key) { var w = W[key]; return zh ? w[1] : w[0] + " · " + w[1]; }

// ---- storage: every change is written at once ----
var KEY_CURRENT = "lessonlens.current", KEY_SAVED = "lessonlens.saved", KEY_ROSTERS = "lessonlens.rosters", KEY_OUTBOX = "lessonlens.outbox";
function load(key, fallback) { try { var v = localStorage.getItem(key); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; } }
function store(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
var state = load(KEY_CURRENT, null);
function persist() { if (state) store(KEY_CURRENT, state); else localStorage.removeItem(KEY_CURRENT); }

// ---- time ----
function now() { return state && state.startedAt != null ? Math.max(0, Math.round((Date.now() - state.startedAt) / 1000)) : 0; }
function mmss(s) { s = Math.max(0, Math.round(s)); var m = Math.floor(s / 60), r = s % 60; return m + ":" + (r < 10 ? "0" : "") + r; }
function parseTime(text) {
  var m = /^\s*(\d+):([0-5]\d)\s*$/.exec(text);
  return m ? parseInt(m[1], 10) * 60 + parseInt(m[2], 10) : null;
}
function today() { var d = new Date(); function p(n) { return (n < 10 ? "0" : "") + n; } return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()); }

// ---- metrics: the core's definitions, one rule book (LessonEvaluator) ----
// The lists come from the library (CONFIG.writingKinds, CONFIG.activeKinds);
// the sums are taken in the core's order, so the numbers are the core's to
// the last bit (a browser test compares 1,000 lessons with `lessonlens metrics`).
function inList(list, fallback) { var o = {}; (list || fallback).forEach(function (k) { o[k] = true; }); return o; }
var WRITING = inList(CONFIG.writingKinds, ["write", "homework"]);
var ACTIVE_KINDS = inList(CONFIG.activeKinds, Object.keys(ACTIVE));
// Length of the union of intervals given in start order (the core's sweep).
function Sweep() { this.total = 0; this.run = null; }
Sweep.prototype.add = function (s, e) {
  if (this.run === null) { this.run = [s, e]; return; }
  if (s > this.run[1]) { this.total += this.run[1] - this.run[0]; this.run = [s, e]; }
  else if (e > this.run[1]) this.run[1] = e;
};
Sweep.prototype.length = function () { return this.run === null ? this.total : this.total + (this.run[1] - this.run[0]); };
function union(intervals) {
  var w = new Sweep();
  intervals.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (i) { w.add(i[0], i[1]); });
  return w.length();
}
function logTime(v) { return typeof v === "number" ? v : parseTime(String(v)); }
// Every metric of an observation-log-v1 lesson object, as the core computes it.
function evaluateMetrics(log) {
  var d = log.duration_min == null ? 40 : log.duration_min;
  var segs = (log.segments || []).map(function (g) {
    return { kind: g.kind, start: logTime(g.start), end: logTime(g.end), passes: g.passes == null ? null : g.passes,
             copying: !!WRITING[g.kind] && g.task === "copy" };
  }).sort(function (a, b) { return a.start - b.start; });
  var reading = new Sweep(), writing = new Sweep(), homework = new Sweep(), lecture = new Sweep(), active = new Sweep();
  var lower = d * 60 / 2, upper = d * 60;
  segs.forEach(function (g) {
    if (g.kind === "read") reading.add(g.start, g.end);
    if (WRITING[g.kind]) writing.add(g.start, g.end);
    if (g.kind === "homework") homework.add(g.start, g.end);
    if (g.kind === "lecture") lecture.add(g.start, g.end);
    if (ACTIVE_KINDS[g.kind]) { var s = Math.max(g.start, lower), e = Math.min(g.end, upper); if (e > s) active.add(s, e); }
  });
  var perf = (log.performances || []).map(function (p) { return { t: logTime(p.t), student: String(p.student), independent: p.independent !== false }; });
  var end = 0;
  (log.segments || []).forEach(function (g) { end = Math.max(end, logTime(g.end)); });
  perf.forEach(function (p) { end = Math.max(end, p.t); });
  function passes(pred) { var total = null; (log.segments || []).forEach(function (g) { if (pred(g) && g.passes != null) total = (total || 0) + g.passes; }); return total; }
  var m = {
    reading_min: reading.length() / 60, writing_min: writing.length() / 60, homework_min: homework.length() / 60, lecture_min: lecture.length() / 60,
    end_min: end / 60, overrun_min: Math.max(0, end / 60 - d),
    independent_performances: 0, independent_performers: 0, performer_ratio: null, bottom_share: null, top_share: null,
    bottom_reached: null, participation_gini: null, second_half_active_min: active.length() / 60,
    read_passes: passes(function (g) { return g.kind === "read"; }),
    copy_passes: passes(function (g) { return !!WRITING[g.kind] && g.task === "copy"; }),
    homework_completion: null, homework_accuracy: null
  };
  var hw = log.homework;
  if (hw) {
    if (hw.assigned > 0) m.homework_completion = hw.completed / hw.assigned;
    if (hw.correct != null && hw.completed > 0) m.homework_accuracy = hw.correct / hw.completed;
  }
  var counts = {}, performances = 0;
  perf.forEach(function (p) { if (p.independent) { counts[p.student] = (counts[p.student] || 0) + 1; performances++; } });
  var performers = Object.keys(counts).length;
  m.independent_performances = performances;
  m.independent_performers = performers;
  if (log.present != null && log.present > 0) m.performer_ratio = performers / log.present;
  if (log.students) {
    var top = 0, bottom = 0, bottomStudents = 0, bottomPerformers = 0;
    log.students.forEach(function (r) {
      var c = counts[r.id] || 0;
      if (r.tier === "top") top += c;
      if (r.tier === "bottom") { bottom += c; bottomStudents++; if (c > 0) bottomPerformers++; }
    });
    if (performances > 0) { m.bottom_share = bottom / performances; m.top_share = top / performances; }
    if (bottomStudents > 0) m.bottom_reached = bottomPerformers / bottomStudents;
    if (log.students.length) {
      // The core's Gini of counts: sorted ranks by multiplicity, integer sums.
      var n = log.students.length, hist = {}, maxc = 0;
      log.students.forEach(function (r) { var c = counts[r.id] || 0; hist[c] = (hist[c] || 0) + 1; if (c > maxc) maxc = c; });
      var total = 0, weighted = 0, rank = 0;
      for (var c = 0; c <= maxc; c++) {
        var mult = hist[c] || 0; if (!mult) continue;
        weighted += c * mult * (2 * rank + mult - n); total += c * mult; rank += mult;
      }
      m.participation_gini = total > 0 ? weighted / (n * total) : 0;
    }
  }
  return m;
}
// The live panel's metrics: the lesson being recorded as a log object, its
// running segments ending at `at`.
function metrics(lesson, at) {
  var log = { duration_min: lesson.setup.duration_min, present: lesson.setup.present, homework: lesson.homework || null,
    segments: lesson.segments.map(function (g) { return { kind: g.kind, start: g.start, end: g.end == null ? at : g.end, passes: g.passes, task: g.task }; }),
    performances: lesson.performances.map(function (p) { return { t: p.t, student: p.student, independent: p.independent }; }) };
  if (lesson.roster && lesson.roster.length) log.students = lesson.roster.map(function (r) { return { id: r.id, tier: r.tier }; });
  return evaluateMetrics(log);
}
// The rules that judge a lesson of `subject` and `grade`, as the core picks
// them (Policy.variantIndex): the subject's own over the grade's over the
// top level; the subject by its canonical name (Subjects.canonical).
function policyFor(subject, grade) {
  var V = CONFIG.variants;
  if (!V || (!V.subjects.length && !V.grades.length)) return CONFIG.policy;
  var lower = String(subject == null ? "" : subject).toLowerCase();
  var canonical = (CONFIG.subjectAliases || {})[lower] || lower;
  var sk = V.subjects.indexOf(canonical) >= 0 ? canonical : "";
  var gk = V.grades.indexOf(Number(grade)) >= 0 ? String(Number(grade)) : "";
  if (!sk && !gk) return CONFIG.policy;
  var i = V.table[sk + "\u0001" + gk];
  return i == null || !V.policies[i] ? CONFIG.policy : V.policies[i];
}
// one_eighteen's number: the policy's, or its share of those present when fewer.
function performersNeeded(present, P) {
  var needed = P.performers;
  if (P.shareOfPresent != null && present != null) needed = Math.min(needed, Math.ceil(P.shareOfPresent * present));
  return needed;
}
function standards(m, present, P) {
  var needed = performersNeeded(present, P);
  var r = {
    two_tens: m.reading_min >= P.readingMin && m.writing_min >= P.writingMin,
    one_eighteen: m.independent_performers >= needed,
    homework_time: m.homework_min >= P.homeworkMin && m.homework_min <= P.homeworkMax,
    four_threes: m.read_passes == null || m.copy_passes == null ? null : (m.read_passes >= P.readPasses && m.copy_passes >= P.copyPasses),
    on_time: m.overrun_min <= P.overrunTolerance
  };
  // A standard the policy says does not apply is not judged (null).
  (P.notApplying || []).forEach(function (k) { r[k] = null; });
  return r;
}

// ---- the log line ----
function toLog(lesson) {
  var s = lesson.setup, out = { id: lesson.id, date: s.date, teacher: s.teacher, subject: s.subject, grade: s.grade };
  if (s.class) out["class"] = s.class;
  if (s.school) out.school = s.school;
  if (s.observer) out.observer = s.observer;
  if (s.period != null) out.period = s.period;
  out.duration_min = s.duration_min;
  if (s.enrolled != null) out.enrolled = s.enrolled;
  if (s.present != null) out.present = s.present;
  if (lesson.roster && lesson.roster.length) out.students = lesson.roster.map(function (r) { var x = { id: r.id }; if (r.tier) x.tier = r.tier; return x; });
  out.segments = lesson.segments.map(function (g) {
    var x = { start: mmss(g.start), end: mmss(g.end), kind: g.kind };
    if (g.task && (g.kind === "write" || g.kind === "homework")) x.task = g.task;
    if (g.passes != null) x.passes = g.passes;
    return x;
  });
  out.performances = lesson.performances.map(function (p) {
    var x = { t: mmss(p.t), student: p.student, kind: p.kind };
    if (!p.independent) x.independent = false;
    return x;
  });
  if (lesson.homework) out.homework = lesson.homework;
  if (s.tags && s.tags.length) out.tags = s.tags;
  if (s.notes) out.notes = s.notes;
  return out;
}

// ---- rosters ----
// The roster reader's rules, handed in from the library (RosterCSV): headers
// in English or Chinese, tiers as top/middle/bottom, 上/中/下, 优/中/后, A/B/C;
// commas, or tabs (cells pasted from Excel); row and col place the seat.
function rosterError(line, en, cn) { return (zh ? "名单第 " + line + " 行：" + cn : "roster: line " + line + ": " + en); }
function splitCells(line, sep) {
  var out = [], field = "", quoted = false;
  for (var i = 0; i < line.length; i++) {
    var c = line[i];
    if (quoted) { if (c === '"') { if (line[i + 1] === '"') { field += '"'; i++; } else quoted = false; } else field += c; }
    else if (c === '"') quoted = true;
    else if (c === sep) { out.push(field.trim()); field = ""; }
    else field += c;
  }
  out.push(field.trim());
  return out;
}
function parseRoster(text) {
  text = text.replace(/^\uFEFF/, "");
  var lines = text.split(/\r?\n/).filter(function (l) { return l.trim() !== ""; });
  if (!lines.length) return { roster: [] };
  var sep = lines[0].indexOf("\t") >= 0 ? "\t" : ",";
  var names = CONFIG.rosterHeaders || { id: "id", tier: "tier", name: "name" }, tiers = CONFIG.tierSpellings || { top: "top", middle: "middle", bottom: "bottom" };
  var header = [], written = splitCells(lines[0], sep);
  for (var h = 0; h < written.length; h++) {
    var known = names[written[h].toLowerCase()];
    if (!known) return { error: rosterError(1, "unknown column \"" + written[h] + "\": expected id (学号), tier (层次), name (姓名), class (班级), row (行), col (列)",
                                                "未知的列“" + written[h] + "”：应为 学号、层次、姓名、班级、行、列") };
    header.push(known);
  }
  var col = {}; header.forEach(function (c, k) { col[c] = k; });
  if (col.id == null) return { error: rosterError(1, "the header must name an id column (id or 学号)", "表头必须有学号列（学号 或 id）") };
  var seen = {}, roster = [], seatOf = {};
  for (var k = 1; k < lines.length; k++) {
    var f = splitCells(lines[k], sep);
    function cellOf(name) { return col[name] != null ? f[col[name]] || "" : ""; }
    var id = cellOf("id"), tierText = cellOf("tier"), tier = null;
    if (!id) return { error: rosterError(k + 1, "empty id", "学号为空") };
    if (tierText) {
      tier = tiers[tierText.toLowerCase()];
      if (!tier) return { error: rosterError(k + 1, "unknown tier \"" + tierText + "\", expected top, middle or bottom (also 上/中/下, 优/中/后, A/B/C)",
                                                   "未知的层次“" + tierText + "”，应为 上/中/下（或 优/中/后、A/B/C）") };
    }
    var placeOf = {};
    for (var q = 0, keys = ["row", "col"]; q < keys.length; q++) {
      var v = cellOf(keys[q]);
      if (v === "") { placeOf[keys[q]] = null; continue; }
      if (!/^\d+$/.test(v) || +v < 1 || +v > 99) return { error: rosterError(k + 1, keys[q] + " \"" + v + "\" must be a whole number from 1 to 99", (keys[q] === "row" ? "行" : "列") + "“" + v + "”须为 1 到 99 的整数") };
      placeOf[keys[q]] = +v;
    }
    if (seen[id]) return { error: rosterError(k + 1, "student \"" + id + "\" appears twice", "学号“" + id + "”重复") };
    var place = (cellOf("class") || "") + "|" + placeOf.row + "," + placeOf.col;
    if (placeOf.row != null && placeOf.col != null) {
      if (seatOf[place]) return { error: rosterError(k + 1, "row " + placeOf.row + ", col " + placeOf.col + " is already the seat of \"" + seatOf[place] + "\"",
                                                     "第 " + placeOf.row + " 行第 " + placeOf.col + " 列已经是“" + seatOf[place] + "”的座位") };
      seatOf[place] = id;
    }
    seen[id] = true;
    roster.push({ id: id, tier: tier, name: cellOf("name") || null, row: placeOf.row, col: placeOf.col });
  }
  return { roster: roster };
}
function rosterText(roster) {
  var placed = roster.some(function (r) { return r.row != null || r.col != null; });
  var head = zh ? "学号,层次,姓名" + (placed ? ",行,列" : "") : "id,tier,name" + (placed ? ",row,col" : "");
  return roster.length ? head + "\n" + roster.map(function (r) {
    var tier = r.tier ? (zh ? TIER_MARK[r.tier][1] : r.tier) : "";
    return [r.id, tier, r.name || ""].concat(placed ? [r.row == null ? "" : r.row, r.col == null ? "" : r.col] : []).join(","); }).join("\n") : "";
}

// ---- rendering helpers ----
var app = document.getElementById("app");
function el(tag, attrs, children) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") e.textContent = attrs[k];
    else if (k === "on") Object.keys(attrs.on).forEach(function (ev) { e.addEventListener(ev, attrs.on[ev]); });
    else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) e.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
  });
  (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return e;
}
function field(name, label, value, type, extra) {
  var attrs = Object.assign({ name: name, id: "f-" + name, value: value == null ? "" : String(value), type: type || "text" }, extra || {});
  return el("div", {}, [el("label", { "for": "f-" + name, text: label }), el("input", attrs)]);
}
function num(v) { return v == null ? "–" : (Math.round(v * 10) / 10).toFixed(1); }

// ---- set-up ----
function showSetup(message) {
  app.classList.remove("recording");
  var saved = load(KEY_ROSTERS, {});
  var last = load("lessonlens.lastSetup", {});
  var embedded = CONFIG.roster || [];
  app.innerHTML = "";
  app.appendChild(el("h1", {}, [t("title") + " ", zh ? null : el("span", { "class": "sub", text: "听课记录" })]));
  app.appendChild(el("h2", { text: both("setup") }));
  var f = el("div", { "class": "fields" }, [
    field("teacher", t("teacher"), last.teacher), subjectField(last.subject || "chinese"),
    field("grade", t("grade"), last.grade, "number", { inputmode: "numeric", min: 1, max: 12 }),
    field("class", t("class"), last.class), field("school", t("school"), last.school), field("observer", t("observer"), last.observer),
    field("period", t("period"), "", "number", { inputmode: "numeric" }), field("date", t("date"), today(), "text"),
    field("duration_min", t("duration_min"), 40, "number", { inputmode: "decimal", step: "any" }),
    field("enrolled", t("enrolled"), last.enrolled, "number", { inputmode: "numeric", min: 0 }),
    field("present", t("present"), "", "number", { inputmode: "numeric", min: 0 }), field("tags", t("tags"), ""),
    field("started_ago_min", t("startedAgo"), 0, "number", { inputmode: "decimal", step: "any", min: 0 })
  ]);
  app.appendChild(f);
  var ta = el("textarea", { name: "roster", id: "f-roster", spellcheck: "false" });
  ta.value = embedded.length ? rosterText(embedded) : (saved[last.class] || "");
  app.appendChild(el("label", { "for": "f-roster", text: t("roster") }));
  app.appendChild(ta);
  var classInput = f.querySelector("[name=class]");
  classInput.addEventListener("change", function () {
    var remembered = load(KEY_ROSTERS, {})[classInput.value];
    if (remembered && !ta.value.trim()) ta.value = remembered;
  });
  // Rosters by class (capture --roster with a class column, or the server's
  // --rosters): pick a class; its roster is kept on the phone (KEY_ROSTERS)
  // for next time, offline too.
  function offerClasses(classes) {
    if (!classes.length || !app.contains(ta) || document.getElementById("roster-classes")) return;
    var pick = el("select", { name: "roster_class", id: "f-roster_class", on: { change: function (e) {
      var c = classes.filter(function (x) { return x["class"] === e.target.value; })[0]; if (!c) return;
      classInput.value = c["class"];
      ta.value = rosterText(c.students.map(function (x) { return { id: x.id, tier: x.tier || null, name: x.name || null, row: x.row, col: x.col }; }));
      var r = load(KEY_ROSTERS, {}); r[c["class"]] = ta.value; store(KEY_ROSTERS, r);
    } } }, [el("option", { value: "", text: "–" })].concat(classes.map(function (c) { return el("option", { value: c["class"], text: c["class"] + " (" + c.students.length + ")" }); })));
    ta.parentNode.insertBefore(el("div", { id: "roster-classes" }, [el("label", { "for": "f-roster_class", text: t("rosterClasses") }), pick]), ta.previousSibling);
  }
  offerClasses(CONFIG.rosterClasses || []);
  if (CONFIG.server) {
    fetch("api/rosters", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : { classes: [] }; })
      .then(function (body) { offerClasses(body.classes || []); }).catch(function () {});
  }
  var error = el("div", { "class": "error", role: "alert", id: "setup-error", text: message || "" });
  app.appendChild(error);
  app.appendChild(el("div", { "class": "row" }, [el("button", { "class": "primary", "data-action": "start", type: "button", text: t("start"), on: { click: start } })]));
  renderSaved();
  app.appendChild(el("div", { "class": "row" }, [el("button", { type: "button", "data-action": "homework", text: t("hwOpen"), on: { click: function () { showHomework(); } } })]));
}
// The subject from a list (stored by its code: 语文 → chinese), or typed.
function subjectField(value) {
  // Shown as the page says it (语文), stored by its code (chinese).
  if (zh) (CONFIG.subjects || []).forEach(function (x) { if (x[0] === value) value = x[1]; });
  var list = el("datalist", { id: "subjects" }, (CONFIG.subjects || []).map(function (x) {
    return el("option", { value: x[0], label: zh ? x[1] : x[0] + " · " + x[1] }); }));
  return el("div", {}, [el("label", { "for": "f-subject", text: t("subject") }),
    el("input", { name: "subject", id: "f-subject", value: value, list: "subjects", autocomplete: "off" }), list]);
}
function subjectCode(text) {
  var lower = text.trim().toLowerCase(), aliases = CONFIG.subjectAliases || {};
  return aliases[lower] || lower;
}
// A real day of the calendar, as the core checks dates (2026-02-30 is not one).
function realDay(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  var y = +text.slice(0, 4), m = +text.slice(5, 7), d = +text.slice(8, 10), x = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && x.getUTCFullYear() === y && x.getUTCMonth() === m - 1 && x.getUTCDate() === d;
}
function val(name) { var e = app.querySelector("[name=" + name + "]"); return e ? e.value.trim() : ""; }
function intOrNull(name, errors, message) {
  var v = val(name);
  if (v === "") return null;
  if (!/^-?\d+$/.test(v)) { errors.push(message); return null; }
  return parseInt(v, 10);
}
function start() {
  var errors = [];
  var setup = { teacher: val("teacher"), subject: subjectCode(val("subject")), class: val("class"), school: val("school"), observer: val("observer"), date: val("date") };
  if (!setup.teacher) errors.push(t("err_teacher"));
  if (!setup.subject) errors.push(t("err_subject"));
  var grade = val("grade");
  if (!/^\d+$/.test(grade) || +grade < 1 || +grade > 12) errors.push(t("err_grade")); else setup.grade = parseInt(grade, 10);
  setup.period = intOrNull("period", errors, t("err_period"));
  var d = parseFloat(val("duration_min"));
  if (!(d > 0) || !isFinite(d)) errors.push(t("err_duration")); else setup.duration_min = d;
  setup.enrolled = intOrNull("enrolled", errors, "enrolled: " + t("err_count"));
  setup.present = intOrNull("present", errors, "present: " + t("err_count"));
  if (setup.enrolled != null && setup.enrolled < 0) errors.push("enrolled: " + t("err_count"));
  if (setup.present != null && setup.present < 0) errors.push("present: " + t("err_count"));
  if (setup.enrolled != null && setup.present != null && setup.present > setup.enrolled) errors.push(t("err_present"));
  if (!realDay(setup.date)) errors.push(t("err_date"));
  var ago = val("started_ago_min") === "" ? 0 : Number(val("started_ago_min"));
  if (!(ago >= 0) || !isFinite(ago) || (setup.duration_min && ago > setup.duration_min + 60)) errors.push(t("err_started"));
  setup.tags = val("tags") ? val("tags").split(",").map(function (x) { return x.trim(); }).filter(Boolean) : [];
  var parsed = parseRoster(app.querySelector("[name=roster]").value);
  if (parsed.error) errors.push(parsed.error);
  if (errors.length) { app.querySelector("#setup-error").textContent = errors.join(" · "); return; }
  if (setup.class && parsed.roster.length) { var r = load(KEY_ROSTERS, {}); r[setup.class] = rosterText(parsed.roster); store(KEY_ROSTERS, r); }
  store("lessonlens.lastSetup", { teacher: setup.teacher, subject: setup.subject, grade: setup.grade, class: setup.class, school: setup.school, observer: setup.observer, enrolled: setup.enrolled });
  // A late observer: the clock starts at the minutes already taught.
  state = { phase: "record", setup: setup, roster: parsed.roster, startedAt: Date.now() - Math.round(ago * 60000), segments: [], performances: [],
            overlap: false, prompted: false, perfKind: "answer", task: "copy", undo: [] };
  persist();
  showRecord();
}

// ---- recording ----
var ticker = null;
function snapshot() {
  state.undo.push(JSON.stringify({ segments: state.segments, performances: state.performances }));
  if (state.undo.length > 100) state.undo.shift();
}
function running(kind) { for (var i = state.segments.length - 1; i >= 0; i--) if (state.segments[i].kind === kind && state.segments[i].end == null) return i; return -1; }
function tapKind(kind) {
  cancelEnd();
  snapshot();
  var at = now(), open = running(kind);
  if (open >= 0) { state.segments[open].end = at; }
  else {
    if (!state.overlap) state.segments.forEach(function (s) { if (s.end == null) s.end = at; });
    var seg = { kind: kind, start: at, end: null };
    if (kind === "write" || kind === "homework") seg.task = state.task || null;
    state.segments.push(seg);
  }
  persist(); renderRecord();
}
function lastOf(pred) {
  for (var i = state.segments.length - 1; i >= 0; i--) if (pred(state.segments[i]) && state.segments[i].end == null) return i;
  for (i = state.segments.length - 1; i >= 0; i--) if (pred(state.segments[i])) return i;
  return -1;
}
function isRead(s) { return s.kind === "read"; }
function isCopy(s) { return (s.kind === "write" || s.kind === "homework") && s.task === "copy"; }
function addPass(pred) {
  cancelEnd();
  var i = lastOf(pred); if (i < 0) return;
  snapshot(); state.segments[i].passes = (state.segments[i].passes || 0) + 1; persist(); renderRecord();
}
function perform(student, prompted) {
  cancelEnd();
  snapshot();
  state.performances.push({ t: now(), student: student, kind: state.perfKind || "answer", independent: !(prompted || state.prompted) });
  persist(); renderRecord();
}
function undo() {
  cancelEnd();
  var last = state.undo.pop(); if (!last) return;
  var s = JSON.parse(last); state.segments = s.segments; state.performances = s.performances; persist(); renderRecord();
}
function seatsOf() {
  if (state.roster.length) {
    return state.roster.slice().sort(function (a, b) {
      return (a.row || 999) - (b.row || 999) || (a.col || 999) - (b.col || 999); });
  }
  var n = state.setup.present || state.setup.enrolled || 40, seats = [];
  for (var k = 1; k <= n; k++) seats.push({ id: String(k), tier: null, name: null });
  return seats;
}
function showRecord() {
  app.innerHTML = "";
  var panel = el("div", { "class": "panel", id: "panel", "aria-live": "polite" });
  app.appendChild(panel);
  var kinds = el("div", { "class": "kinds" }, KINDS.map(function (k) {
    return el("button", { type: "button", "data-kind": k, "aria-pressed": "false", title: both("kind_" + k), on: { click: function () { tapKind(k); } } },
              [t("kind_" + k)]);
  }));
  // One thumb: the activity buttons, undo and end stay in a dock at the
  // bottom of the screen while the seats scroll.
  app.classList.add("recording");
  var taskSelect = el("select", { name: "task", id: "f-task", on: { change: function (e) {
    snapshot(); state.task = e.target.value || null;
    var i = lastOf(function (s) { return s.kind === "write" || s.kind === "homework"; });
    if (i >= 0 && state.segments[i].end == null) state.segments[i].task = state.task;
    persist(); renderRecord(); } } },
    TASKS.map(function (x) { return el("option", { value: x, text: t("t_" + x) }); }).concat([el("option", { value: "", text: t("none") })]));
  var perfSelect = el("select", { name: "perf_kind", id: "f-perf", on: { change: function (e) { state.perfKind = e.target.value; persist(); } } },
    PERF_KINDS.map(function (x) { return el("option", { value: x, text: t("p_" + x) }); }));
  app.appendChild(el("div", { "class": "row" }, [
    el("button", { type: "button", "data-action": "overlap", "aria-pressed": "false", text: t("overlap"), on: { click: function () { state.overlap = !state.overlap; persist(); renderRecord(); } } }),
    el("button", { type: "button", "data-action": "read-pass", text: t("readPass"), on: { click: function () { addPass(isRead); } } }),
    el("button", { type: "button", "data-action": "copy-pass", text: t("copyPass"), on: { click: function () { addPass(isCopy); } } })
  ]));
  app.appendChild(el("div", { "class": "fields" }, [
    el("div", {}, [el("label", { "for": "f-task", text: t("task") }), taskSelect]),
    el("div", {}, [el("label", { "for": "f-perf", text: t("perfKind") }), perfSelect])
  ]));
  app.appendChild(el("h2", { text: t("seats") }));
  app.appendChild(el("div", { "class": "row" }, [
    el("button", { type: "button", "data-action": "prompted", "aria-pressed": "false", text: t("prompted"), on: { click: function () { state.prompted = !state.prompted; persist(); renderRecord(); } } })
  ]));
  // The room: seats where the roster puts them (row 1 at the front), else
  // a grid of CONFIG.columns; the front (讲台) marked; each seat's tier shown
  // by a mark as well as a style, with a legend.
  var list = seatsOf(), placed = list.some(function (s) { return s.row != null && s.col != null; });
  var columns = placed ? Math.max.apply(null, list.map(function (s) { return s.col || 1; })) : (CONFIG.columns || 8);
  var seats = el("div", { "class": "seats", id: "seats", style: "grid-template-columns: repeat(" + columns + ", minmax(0, 1fr))" }, list.map(function (s) {
    var mark = s.tier ? el("b", { "class": "tier-mark", "aria-hidden": "true", text: TIER_MARK[s.tier][zh ? 1 : 0] }) : null;
    var attrs = { type: "button", "class": "seat", "data-student": s.id, "data-tier": s.tier || null, title: (s.name || s.id) + (s.tier ? " · " + t("tier_" + s.tier) : "") };
    if (placed && s.row != null && s.col != null) attrs.style = "grid-row: " + s.row + "; grid-column: " + s.col;
    var b = el("button", attrs, [mark, el("span", { text: s.name || s.id }), el("small", { "class": "count" })]);
    var timer = null, long = false;
    b.addEventListener("pointerdown", function () { long = false; timer = setTimeout(function () { long = true; perform(s.id, true); }, 600); });
    b.addEventListener("pointerup", function () { clearTimeout(timer); });
    b.addEventListener("pointerleave", function () { clearTimeout(timer); });
    b.addEventListener("click", function () { if (long) { long = false; return; } perform(s.id, false); });
    return b;
  }));
  var room = el("div", { "class": "room" }, [el("div", { "class": "front", text: t("front") }), seats]);
  if (list.some(function (s) { return s.tier; })) {
    room.appendChild(el("p", { "class": "legend" }, ["top", "middle", "bottom"].map(function (k) {
      return el("span", { "class": "legend-item", "data-tier": k, text: TIER_MARK[k][zh ? 1 : 0] + " " + t("tier_" + k) }); })));
  }
  app.appendChild(room);
  app.appendChild(el("div", { "class": "dock" }, [el("p", { id: "prompted-note", role: "status", hidden: "hidden", text: t("promptedOn") }),
                                                  kinds, el("div", { "class": "bar", id: "record-bar" })]));
  renderBar();
  renderRecord();
  if (ticker) clearInterval(ticker);
  ticker = setInterval(renderPanel, 500);
}
// Ending asks first: 下课 beside 撤销 is easy to hit by mistake.
var confirmingEnd = false;
function renderBar() {
  var bar = document.getElementById("record-bar"); if (!bar) return;
  bar.innerHTML = "";
  if (confirmingEnd) {
    bar.appendChild(el("span", { "class": "ask", role: "alert", text: t("askEnd") }));
    bar.appendChild(el("button", { type: "button", "data-action": "cancel-end", text: t("cancelEnd"), on: { click: cancelEnd } }));
    bar.appendChild(el("button", { type: "button", "class": "primary", "data-action": "confirm-end", text: t("confirmEnd"), on: { click: endLesson } }));
  } else {
    bar.appendChild(el("button", { type: "button", "data-action": "undo", text: t("undo"), on: { click: undo } }));
    bar.appendChild(el("button", { type: "button", "class": "primary", "data-action": "end", text: t("end"), on: { click: askEnd } }));
  }
}
function askEnd() { confirmingEnd = true; renderBar(); }
function cancelEnd() { if (confirmingEnd) { confirmingEnd = false; renderBar(); } }
function renderRecord() {
  app.querySelectorAll("[data-kind]").forEach(function (b) { b.setAttribute("aria-pressed", running(b.getAttribute("data-kind")) >= 0 ? "true" : "false"); });
  var o = app.querySelector("[data-action=overlap]"); if (o) o.setAttribute("aria-pressed", state.overlap ? "true" : "false");
  var p = app.querySelector("[data-action=prompted]"); if (p) p.setAttribute("aria-pressed", state.prompted ? "true" : "false");
  // Prompted mode shows where the thumb is: in the dock, and on the seats.
  var pn = document.getElementById("prompted-note"); if (pn) pn.hidden = !state.prompted;
  var seatBox = document.getElementById("seats"); if (seatBox) seatBox.classList.toggle("prompted", !!state.prompted);
  var task = app.querySelector("[name=task]"); if (task) task.value = state.task || "";
  var perf = app.querySelector("[name=perf_kind]"); if (perf) perf.value = state.perfKind || "answer";
  var counts = {}, prompted = {};
  state.performances.forEach(function (x) { if (x.independent) counts[x.student] = (counts[x.student] || 0) + 1; else prompted[x.student] = (prompted[x.student] || 0) + 1; });
  app.querySelectorAll("[data-student]").forEach(function (b) {
    var id = b.getAttribute("data-student"), c = counts[id] || 0, q = prompted[id] || 0;
    b.querySelector(".count").textContent = (c ? "●" + c : "") + (q ? " ○" + q : "");
  });
  var rp = lastOf(isRead), cp = lastOf(isCopy);
  var rb = app.querySelector("[data-action=read-pass]"), cb = app.querySelector("[data-action=copy-pass]");
  if (rb) { rb.disabled = rp < 0; rb.textContent = t("readPass") + (rp >= 0 && state.segments[rp].passes ? " (" + state.segments[rp].passes + ")" : ""); }
  if (cb) { cb.disabled = cp < 0; cb.textContent = t("copyPass") + (cp >= 0 && state.segments[cp].passes ? " (" + state.segments[cp].passes + ")" : ""); }
  renderPanel();
}
function cell(key, value, text, met) {
  return el("div", { "data-metric": key, "data-value": value == null ? "" : String(value), "data-met": met == null ? null : String(met) },
            [el("span", { "class": "sub", text: t(key === "elapsed" ? "elapsed" : key) }), el("br"), text]);
}
function renderPanel() {
  var panel = document.getElementById("panel");
  if (!panel || !state) return;
  var at = now(), m = metrics(state, at), P = policyFor(state.setup.subject, state.setup.grade), d = state.setup.duration_min;
  var over = at > d * 60;
  panel.innerHTML = "";
  panel.classList.toggle("collapsed", !!state.panelCollapsed);
  panel.appendChild(el("button", { type: "button", "class": "panel-toggle", "data-action": "panel-toggle", "aria-expanded": state.panelCollapsed ? "false" : "true",
    text: state.panelCollapsed ? "▸" : "▾", "aria-label": t("panelToggle"), on: { click: function () { state.panelCollapsed = !state.panelCollapsed; persist(); renderPanel(); } } }));
  var clock = el("div", { "class": "clock" + (over ? " over" : ""), "data-metric": "elapsed", "data-value": String(at) },
                 [mmss(at) + " / " + mmss(d * 60) + (over ? " +" + mmss(at - d * 60) + " " + t("overrun") : "")]);
  panel.appendChild(clock);
  panel.appendChild(cell("reading_min", m.reading_min, num(m.reading_min) + " / " + P.readingMin, m.reading_min >= P.readingMin));
  panel.appendChild(cell("writing_min", m.writing_min, num(m.writing_min) + " / " + P.writingMin, m.writing_min >= P.writingMin));
  var needed = performersNeeded(state.setup.present, P);
  panel.appendChild(cell("independent_performers", m.independent_performers, m.independent_performers + " / " + needed, m.independent_performers >= needed));
  panel.appendChild(cell("bottom_reached", m.bottom_reached, m.bottom_reached == null ? "–" : Math.round(m.bottom_reached * 100) + "%", null));
  panel.appendChild(cell("homework_min", m.homework_min, num(m.homework_min) + " / " + P.homeworkMin + "-" + P.homeworkMax,
                         m.homework_min >= P.homeworkMin && m.homework_min <= P.homeworkMax));
  panel.appendChild(cell("second_half_active_min", m.second_half_active_min, num(m.second_half_active_min), null));
  // The glossary's names (docs/glossary.md), as tables and reports say them.
  var names = CONFIG.metricNames || {};
  panel.querySelectorAll("[data-metric]").forEach(function (c) { var k = names[c.getAttribute("data-metric")]; if (k) c.querySelector(".sub").textContent = k; });
}
function endLesson() {
  confirmingEnd = false;
  var at = now();
  snapshot();
  // Which segments were running: resume starts them again.
  state.endedRunning = [];
  state.segments.forEach(function (s, k) { if (s.end == null) { s.end = at; state.endedRunning.push(k); } });
  state.endedAt = at;
  state.phase = "end";
  state.endUndo = [];
  persist();
  if (ticker) clearInterval(ticker);
  showEnd();
}
// Back to recording: the clock still runs from the stored start; what was
// running at the end runs again; end-screen edits are kept.
function resume() {
  (state.endedRunning || []).forEach(function (k) { if (state.segments[k]) state.segments[k].end = null; });
  state.endedRunning = null; state.endedAt = null; state.endUndo = [];
  state.phase = "record";
  persist();
  showRecord();
}

// ---- end of the lesson, and any saved lesson: everything correctable ----
function sumPasses(pred) { var total = null; state.segments.forEach(function (s) { if (pred(s) && s.passes != null) total = (total || 0) + s.passes; }); return total; }
// End-screen edits have an undo of their own: it never reaches into the recording.
function snapshotEnd() {
  state.endUndo = state.endUndo || [];
  state.endUndo.push(JSON.stringify({ segments: state.segments, performances: state.performances, outcome: readOutcomeFields() }));
  if (state.endUndo.length > 100) state.endUndo.shift();
}
function undoEnd() {
  var last = (state.endUndo || []).pop(); if (!last) return;
  var x = JSON.parse(last); state.segments = x.segments; state.performances = x.performances; state.outcomeFields = x.outcome;
  persist(); showEnd();
}
function readOutcomeFields() {
  var o = {};
  ["assigned", "completed", "correct", "read_passes", "copy_passes", "notes"].forEach(function (n) { var e = app.querySelector("[name=" + n + "]"); if (e) o[n] = e.value; });
  return o;
}
function showEnd(message) {
  app.classList.remove("recording");
  app.innerHTML = "";
  var editing = state.phase === "edit";
  app.appendChild(el("h1", { text: both(editing ? "editTitle" : "endTitle") }));
  var present = state.setup.present, kept = state.outcomeFields || {};
  function keptOr(name, fallback) { return kept[name] != null ? kept[name] : fallback; }
  var hw = state.homework || {};
  var f = el("div", { "class": "fields" }, [
    field("assigned", t("assigned"), keptOr("assigned", hw.assigned != null ? hw.assigned : present != null ? present : ""), "number", { inputmode: "numeric", min: 0 }),
    field("completed", t("completed"), keptOr("completed", hw.completed != null ? hw.completed : ""), "number", { inputmode: "numeric", min: 0 }),
    field("correct", t("correct"), keptOr("correct", hw.correct != null ? hw.correct : ""), "number", { inputmode: "numeric", min: 0 }),
    field("read_passes", (CONFIG.metricNames || {}).read_passes || t("read_passes"), keptOr("read_passes", sumPasses(isRead)), "number", { inputmode: "numeric", min: 0 }),
    field("copy_passes", (CONFIG.metricNames || {}).copy_passes || t("copy_passes"), keptOr("copy_passes", sumPasses(isCopy)), "number", { inputmode: "numeric", min: 0 })
  ]);
  app.appendChild(f);
  app.appendChild(el("label", { "for": "f-notes", text: t("notes") }));
  var notes = el("textarea", { name: "notes", id: "f-notes" }); notes.value = keptOr("notes", state.setup.notes || "");
  app.appendChild(notes);
  app.appendChild(el("h2", { text: t("segments") }));
  var kinds = CONFIG.kinds || KINDS;
  var rows = state.segments.map(function (s, i) {
    var kind = el("select", { name: "kind", "aria-label": t("kind_" + s.kind), on: { change: function (e) {
      snapshotEnd(); s.kind = e.target.value; if (!(s.kind === "write" || s.kind === "homework")) delete s.task; persist(); showEnd(); } } },
      kinds.map(function (k) { var o = el("option", { value: k, text: t("kind_" + k) }); if (k === s.kind) o.selected = true; return o; }));
    function timeInput(which) {
      // A text keyboard: times need ':'.
      return el("input", { name: which, "data-edge": which, value: mmss(s[which]), autocomplete: "off", "aria-label": which, on: { change: editTime } });
    }
    var what = s.task ? el("small", { text: t("t_" + s.task) }) : null;
    return el("tr", { "data-segment": String(i) }, [el("td", {}, [kind, what]), el("td", {}, [timeInput("start")]), el("td", {}, [timeInput("end")]),
      el("td", {}, [el("button", { type: "button", "data-action": "delete-segment", text: t("delSegment"), on: { click: function () {
        snapshotEnd(); state.segments.splice(i, 1); persist(); showEnd(); } } })])]);
  });
  app.appendChild(el("table", { id: "segments" }, [el("tbody", {}, rows)]));
  app.appendChild(el("div", { "class": "row" }, [el("button", { type: "button", "data-action": "add-segment", text: t("addSegment"), on: { click: function () {
    snapshotEnd();
    var endAt = state.endedAt || 0;
    state.segments.push({ kind: "other", start: Math.max(0, endAt - 60), end: Math.max(60, endAt) });
    persist(); showEnd(); } } })]));
  var short = state.segments.filter(function (s) { return s.end - s.start < 2; }).length;
  if (short) app.appendChild(el("p", { "class": "note", id: "dropped", text: short + " " + t("dropped") }));
  app.appendChild(el("h2", { text: t("performances") }));
  var prow = state.performances.map(function (p, i) {
    var student = el("input", { name: "student", value: p.student, autocomplete: "off", "aria-label": t("student"), on: { change: function (e) {
      var v = e.target.value.trim(); if (!v) { app.querySelector("#end-error").textContent = t("err_student"); e.target.value = p.student; return; }
      snapshotEnd(); p.student = v; persist(); renderStandards(); } } });
    var own = el("input", { type: "checkbox", name: "independent", on: { change: function (e) { snapshotEnd(); p.independent = e.target.checked; persist(); renderStandards(); } } });
    own.checked = !!p.independent;
    return el("tr", { "data-performance": String(i) }, [el("td", { text: mmss(p.t) }), el("td", {}, [student]),
      el("td", {}, [el("label", { "class": "check" }, [own, " " + t("independentShort")])]), el("td", { text: t("p_" + p.kind) }),
      el("td", {}, [el("button", { type: "button", "data-action": "delete-performance", text: t("delPerformance"), on: { click: function () {
        snapshotEnd(); state.performances.splice(i, 1); persist(); showEnd(); } } })])]);
  });
  app.appendChild(el("table", { id: "performances" }, [el("tbody", {}, prow)]));
  app.appendChild(el("h2", { text: both("standards") }));
  app.appendChild(el("div", { "class": "badges", id: "standards" }));
  app.appendChild(el("div", { "class": "error", role: "alert", id: "end-error", text: message || "" }));
  var buttons = [el("button", { type: "button", "data-action": "undo", text: t("undo"), on: { click: undoEnd } })];
  if (!editing) buttons.push(el("button", { type: "button", "data-action": "resume", text: t("resume"), on: { click: resume } }));
  buttons.push(el("button", { type: "button", "class": "primary", "data-action": "save", text: t("save"), on: { click: save } }));
  app.appendChild(el("div", { "class": "bar" }, buttons));
  var before = null;
  app.querySelectorAll(".fields input, textarea").forEach(function (i) {
    i.addEventListener("focus", function () { before = JSON.stringify({ segments: state.segments, performances: state.performances, outcome: readOutcomeFields() }); });
    i.addEventListener("change", function () { if (before) { state.endUndo = state.endUndo || []; state.endUndo.push(before); before = null; persist(); } });
    i.addEventListener("input", function () { state.outcomeFields = readOutcomeFields(); persist(); renderStandards(); });
  });
  renderStandards();
}
function editTime(e) {
  var i = +e.target.closest("[data-segment]").getAttribute("data-segment"), edge = e.target.getAttribute("data-edge"), v = parseTime(e.target.value);
  var seg = state.segments[i], other = edge === "start" ? seg.end : seg.start;
  // A time that cannot be used stays as typed, marked, and the save is refused until it is fixed.
  if (v == null || (edge === "start" ? v >= other : v <= other) || v > (state.setup.duration_min + 60) * 60) {
    app.querySelector("#end-error").textContent = t(v != null && v > (state.setup.duration_min + 60) * 60 ? "err_late" : "err_time");
    e.target.setAttribute("aria-invalid", "true"); return;
  }
  e.target.removeAttribute("aria-invalid");
  snapshotEnd(); seg[edge] = v; persist(); app.querySelector("#end-error").textContent = ""; renderStandards();
}
function outcome(errors) {
  function label(name) { var l = app.querySelector("label[for=f-" + name + "]"); return l ? l.textContent : name; }
  function n(name) { var v = val(name); if (v === "") return null; if (!/^\d+$/.test(v)) { errors.push(label(name) + "：" + t("err_count")); return null; } return parseInt(v, 10); }
  var assigned = n("assigned"), completed = n("completed"), correct = n("correct");
  var hw = null;
  if (assigned != null && completed != null) {
    if (completed > assigned || (correct != null && correct > completed)) errors.push(t("err_hw"));
    hw = { assigned: assigned, completed: completed };
    if (correct != null) hw.correct = correct;
  }
  return { homework: hw, read_passes: n("read_passes"), copy_passes: n("copy_passes"), notes: val("notes") };
}
// The lesson as it will be saved: mis-taps dropped, passes as entered.
function finished(o) {
  var lesson = JSON.parse(JSON.stringify(state));
  lesson.segments = lesson.segments.filter(function (s) { return s.end - s.start >= 2; });
  function setPasses(pred, total) {
    var list = lesson.segments.filter(pred), counted = 0;
    if (total == null) { list.forEach(function (s) { delete s.passes; }); return; }
    list.forEach(function (s) { if (s.passes != null) counted += s.passes; });
    if (!list.length || (counted === total && list.some(function (s) { return s.passes != null; }))) return;
    list.forEach(function (s, k) { if (k === 0) s.passes = total; else delete s.passes; });
  }
  setPasses(isRead, o.read_passes);
  setPasses(isCopy, o.copy_passes);
  lesson.homework = o.homework;
  lesson.setup.notes = o.notes || undefined;
  return lesson;
}
function renderStandards() {
  var box = app.querySelector("#standards"); if (!box) return;
  var lesson = finished(outcome([])), m = metrics(lesson, state.endedAt || 0), s = standards(m, lesson.setup.present, policyFor(lesson.setup.subject, lesson.setup.grade));
  box.innerHTML = "";
  ["two_tens", "one_eighteen", "homework_time", "four_threes", "on_time"].forEach(function (k) {
    var v = s[k], cls = v == null ? "unknown" : v ? "met" : "notmet", mark = v == null ? "–" : v ? "✓" : "✗";
    box.appendChild(el("span", { "class": "badge " + cls, "data-standard": k, "data-value": v == null ? "null" : String(v),
                                 text: mark + " " + t(k) + ": " + t(v == null ? "cannotTell" : v ? "met" : "notMet") }));
  });
}
function randomPart() {
  var a = new Uint32Array(2);
  if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(a); else { a[0] = Math.random() * 4294967296; a[1] = Math.random() * 4294967296; }
  return a[0].toString(36) + a[1].toString(36);
}
// Every segment's times as typed, checked as the core checks them: a time
// that cannot be read, an end not after its start or past the lesson's
// length + 60 minutes stops the save (nothing is kept silently).
function checkTimes(errors) {
  var latest = (state.setup.duration_min + 60) * 60;
  app.querySelectorAll("[data-segment]").forEach(function (row) {
    var i = +row.getAttribute("data-segment"), seg = state.segments[i]; if (!seg) return;
    var start = parseTime(row.querySelector("[name=start]").value), end = parseTime(row.querySelector("[name=end]").value);
    var which = (i + 1) + " (" + t("kind_" + seg.kind) + ")";
    if (start == null || end == null) { errors.push(t("err_time") + ": " + which); return; }
    if (end <= start) { errors.push(t("err_time") + ": " + which); return; }
    if (end > latest) { errors.push(t("err_late") + ": " + which); return; }
    seg.start = start; seg.end = end;
  });
}
function save() {
  var errors = [];
  if (app.querySelector("[data-segment]")) checkTimes(errors);
  var o = outcome(errors);
  if (!state.segments.length && !confirm(zh ? "没有任何活动片段，仍然保存？" : "No segments at all: save anyway?")) return;
  if (errors.length) { app.querySelector("#end-error").textContent = errors.join(" · "); return; }
  var lesson = finished(o), s = lesson.setup;
  var saved = load(KEY_SAVED, []);
  if (state.phase === "edit") {
    // A saved lesson corrected: the same id; sent already, it goes as a correction.
    lesson.id = state.editing;
    var log = toLog(lesson);
    saved.forEach(function (x) {
      if (x.log.id !== state.editing) return;
      var wasOnServer = x.state === "sent" || x.revision != null || x.correction;
      x.log = log; x.savedAt = Date.now();
      if (CONFIG.server) { x.state = "queued"; x.errors = []; x.correction = !!wasOnServer; }
    });
    store(KEY_SAVED, saved);
    if (CONFIG.server) { var box = load(KEY_OUTBOX, []); if (box.indexOf(state.editing) < 0) box.push(state.editing); store(KEY_OUTBOX, box); }
  } else {
    lesson.id = [s.date, s.class || "class", s.period != null ? "p" + s.period : "p", s.observer || "observer", randomPart()]
      .join("-").replace(/\s+/g, "_");
    saved.push({ log: toLog(lesson), savedAt: Date.now(), state: CONFIG.server ? "queued" : "local" });
    store(KEY_SAVED, saved);
    if (CONFIG.server) { var box2 = load(KEY_OUTBOX, []); box2.push(lesson.id); store(KEY_OUTBOX, box2); }
  }
  state = null; persist();
  showSetup();
  flush();
}
// A saved line back into an editable lesson.
function fromLog(log) {
  var setup = { teacher: log.teacher, subject: log.subject, grade: log.grade, "class": log["class"], school: log.school, observer: log.observer,
                period: log.period != null ? log.period : null, date: log.date, duration_min: log.duration_min || 40,
                enrolled: log.enrolled != null ? log.enrolled : null, present: log.present != null ? log.present : null,
                tags: log.tags || [], notes: log.notes };
  function time(v) { return typeof v === "number" ? v : parseTime(v); }
  var segments = (log.segments || []).map(function (g) { var x = { kind: g.kind, start: time(g.start), end: time(g.end) };
    if (g.task) x.task = g.task; if (g.passes != null) x.passes = g.passes; return x; });
  var performances = (log.performances || []).map(function (p) { return { t: time(p.t), student: p.student, kind: p.kind, independent: p.independent !== false }; });
  var end = 0; segments.forEach(function (g) { end = Math.max(end, g.end); }); performances.forEach(function (p) { end = Math.max(end, p.t); });
  return { phase: "edit", editing: log.id, setup: setup, roster: (log.students || []).map(function (r) { return { id: r.id, tier: r.tier || null, name: null }; }),
           segments: segments, performances: performances, homework: log.homework || null, endedAt: end, endUndo: [], undo: [] };
}
function editSaved(id) {
  var x = load(KEY_SAVED, []).filter(function (s) { return s.log.id === id; })[0]; if (!x) return;
  state = fromLog(x.log); persist(); showEnd();
}

// ---- saved lessons: one state each, export, copy, delete, send ----
function stateOf(s) { return s.state || (s.sent ? "sent" : CONFIG.server ? "queued" : "local"); }
function renderSaved() {
  var saved = load(KEY_SAVED, []);
  var section = el("section", { id: "saved" }, [el("h2", { text: both("saved") })]);
  if (!saved.length) { section.appendChild(el("p", { "class": "note", text: "–" })); app.appendChild(section); return; }
  saved.forEach(function (s) {
    var l = s.log, st = stateOf(s);
    var status = t("st_" + st);
    if (st === "sent" && s.revision) status += " · " + t("revisionOnServer") + " " + s.revision + t("revisionSuffix");
    if (st === "refused" && s.errors && s.errors.length) status += ": " + s.errors.join("; ");
    var parts = [el("input", { type: "checkbox", "data-lesson-id": l.id, "aria-label": l.id }),
      el("span", { "class": "what", text: l.date + " · " + l.teacher + (l["class"] ? " · " + l["class"] : "") + " · " + l.id }),
      el("span", { "class": "state", "data-state": st, text: status })];
    if (st === "login") parts.push(el("a", { href: "/login?next=/capture", text: t("st_login_hint") }));
    parts.push(el("button", { type: "button", "data-action": "edit", text: t("edit"), on: { click: function (e) { e.preventDefault(); editSaved(l.id); } } }));
    section.appendChild(el("div", { "class": "lesson-row", "data-lesson": l.id, "data-state": st }, parts));
  });
  section.appendChild(el("p", { "class": "note", text: t("selectHint") }));
  section.appendChild(el("div", { "class": "row" }, [
    el("button", { type: "button", "data-action": "export", text: t("export"), on: { click: exportFile } }),
    el("button", { type: "button", "data-action": "copy", text: t("copy"), on: { click: copyLines } }),
    el("button", { type: "button", "data-action": "delete", text: t("del"), on: { click: removeSelected } })
  ]));
  app.appendChild(section);
}
function chosen() {
  var ids = Array.prototype.map.call(app.querySelectorAll("[data-lesson-id]:checked"), function (c) { return c.getAttribute("data-lesson-id"); });
  var saved = load(KEY_SAVED, []);
  return ids.length ? saved.filter(function (s) { return ids.indexOf(s.log.id) >= 0; }) : saved;
}
function jsonl(list) { return list.map(function (s) { return JSON.stringify(s.log); }).join("\n") + "\n"; }
function exportFile() {
  var list = chosen(); if (!list.length) return;
  var blob = new Blob([jsonl(list)], { type: "application/x-ndjson" });
  var a = el("a", { href: URL.createObjectURL(blob), download: "lessons-" + today() + ".jsonl" });
  document.body.appendChild(a); a.click(); a.remove();
}
function copyLines() {
  var text = jsonl(chosen());
  if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { alert(t("copied")); }, function () { prompt("", text); });
  else prompt("", text);
}
function removeSelected() {
  var ids = Array.prototype.map.call(app.querySelectorAll("[data-lesson-id]:checked"), function (c) { return c.getAttribute("data-lesson-id"); });
  if (!ids.length || !confirm(t("confirmDelete"))) return;
  store(KEY_SAVED, load(KEY_SAVED, []).filter(function (s) { return ids.indexOf(s.log.id) < 0; }));
  store(KEY_OUTBOX, load(KEY_OUTBOX, []).filter(function (id) { return ids.indexOf(id) < 0; }));
  showSetup();
}
// Served by `lessonlens serve`: new lessons are posted, corrected ones put;
// each answer sets the lesson's state. Refused lessons leave the queue (never
// retried silently) until corrected; a lost login keeps them queued.
var sending = false;
function setStates(answers) {
  var all = load(KEY_SAVED, []);
  all.forEach(function (s) { var a = answers[s.log.id]; if (a) { s.state = a.state; s.errors = a.errors || []; if (a.revision) s.revision = a.revision; if (a.state === "sent") s.correction = false; } });
  store(KEY_SAVED, all);
  store(KEY_OUTBOX, load(KEY_OUTBOX, []).filter(function (id) { return !answers[id] || answers[id].state === "login"; }));
  if (state == null && app.querySelector("#saved")) showSetup();
}
function answerJSON(r) { return r.json().then(function (body) { return { status: r.status, body: body }; }, function () { return { status: r.status, body: {} }; }); }
function flush() {
  if (!CONFIG.server || sending) return;
  var box = load(KEY_OUTBOX, []); if (!box.length) return;
  var saved = load(KEY_SAVED, []);
  var queued = saved.filter(function (s) { return box.indexOf(s.log.id) >= 0; });
  if (!queued.length) { store(KEY_OUTBOX, []); return; }
  var fresh = queued.filter(function (s) { return !s.correction; }), corrections = queued.filter(function (s) { return s.correction; });
  sending = true;
  var requests = [];
  if (fresh.length) {
    requests.push(fetch("api/lessons", { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: jsonl(fresh), credentials: "same-origin" })
      .then(answerJSON).then(function (res) {
        var answers = {};
        if (res.status === 401) fresh.forEach(function (s) { answers[s.log.id] = { state: "login" }; });
        (res.body.lines || []).forEach(function (l) {
          answers[l.id] = l.status === "stored" || l.status === "duplicate" ? { state: "sent", revision: 1 } : { state: "refused", errors: l.errors };
        });
        setStates(answers);
      }));
  }
  corrections.forEach(function (s) {
    requests.push(fetch("api/lessons/" + encodeURIComponent(s.log.id), { method: "PUT", headers: { "Content-Type": "application/x-ndjson" },
                                                                         body: JSON.stringify(s.log) + "\n", credentials: "same-origin" })
      .then(answerJSON).then(function (res) {
        var a = {};
        if (res.status === 401) a[s.log.id] = { state: "login" };
        else if (res.status === 200) a[s.log.id] = { state: "sent", revision: res.body.revision };
        else if (res.status >= 400 && res.status < 500) a[s.log.id] = { state: "refused", errors: res.body.errors || [res.body.error || String(res.status)] };
        setStates(a);
      }));
  });
  Promise.all(requests.map(function (p) { return p.catch(function () {}); })).then(function () { sending = false; });
}
if (CONFIG.server) { window.addEventListener("online", flush); setInterval(flush, 30000); }
// Served: the page kept on the phone by a service worker, so that it opens
// and records with the server out of reach (https or localhost only).
if (CONFIG.server && "serviceWorker" in navigator) { navigator.serviceWorker.register("/sw.js").catch(function () {}); }

// ---- the homework ledger (homework-log-v1): one assignment a form ----
var KEY_HW = "lessonlens.homework", KEY_HW_OUTBOX = "lessonlens.homeworkOutbox", KEY_HW_LAST = "lessonlens.lastHomework";
function select(name, label, options, value) {
  return el("div", {}, [el("label", { "for": "f-" + name, text: label }),
    el("select", { name: name, id: "f-" + name }, options.map(function (o) {
      var opt = el("option", { value: o[0], text: o[1] }); if (o[0] === value) opt.selected = true; return opt; }))]);
}
function check(name, label, on) {
  var box = el("input", { type: "checkbox", name: name, id: "f-" + name }); box.checked = !!on;
  return el("label", { "class": "check", "for": "f-" + name }, [box, " " + label]);
}
function showHomework(message) {
  app.classList.remove("recording");
  var last = load(KEY_HW_LAST, {}), grades = last.grades || {};
  app.innerHTML = "";
  app.appendChild(el("h1", { text: both("hwTitle") }));
  var f = el("div", { "class": "fields" }, [
    field("hw_date", t("date"), today(), "text"),
    field("hw_class", t("class"), last.class), field("hw_grade", t("grade"), last.class ? grades[last.class] : "", "number", { inputmode: "numeric", min: 1, max: 12 }),
    field("hw_subject", t("subject"), last.subject), field("hw_teacher", t("teacher"), last.teacher), field("hw_school", t("school"), last.school),
    select("hw_where", t("hwWhere"), [["home", t("hw_home")], ["class", t("hw_class")]], "home"),
    select("hw_kind", t("hwKind"), [["written", t("hk_written")], ["oral", t("hk_oral")], ["reading", t("hk_reading")], ["practical", t("hk_practical")]], "written"),
    field("hw_estimated_min", t("hwEstimated"), "", "number", { inputmode: "decimal", step: "any", min: 0 }),
    field("hw_reported_min", t("hwReported"), "", "text", { inputmode: "decimal" }),
    field("hw_exempt", t("hwExempt"), "", "number", { inputmode: "numeric", min: 0 }),
    field("hw_graded_on", t("hwGraded"), "", "text"),
    field("hw_notes", t("hwNotes"), "")
  ]);
  app.appendChild(f);
  app.appendChild(el("div", { "class": "row" }, [check("hw_tiered", t("hwTiered")), check("hw_essay", t("hwEssay")), check("hw_published", t("hwPublished"), true)]));
  var classInput = f.querySelector("[name=hw_class]");
  classInput.addEventListener("change", function () {
    var g = (load(KEY_HW_LAST, {}).grades || {})[classInput.value];
    if (g != null) app.querySelector("[name=hw_grade]").value = g;
  });
  app.appendChild(el("div", { "class": "error", role: "alert", id: "hw-error", text: message && message.error ? message.error : "" }));
  if (message && message.done) app.appendChild(el("p", { "class": "note", role: "status", id: "hw-status", text: message.done }));
  app.appendChild(el("div", { "class": "row" }, [
    el("button", { type: "button", "class": "primary", "data-action": "save-homework", text: t("hwSave"), on: { click: saveHomework } }),
    el("button", { type: "button", "data-action": "back", text: t("hwBack"), on: { click: function () { showSetup(); } } })
  ]));
  var saved = load(KEY_HW, []);
  var section = el("section", { id: "homework-saved" }, [el("h2", { text: both("hwSaved") })]);
  saved.slice().reverse().forEach(function (h) {
    var a = h.log, state = h.state || "local";
    var what = a.date + " · " + a["class"] + " · " + a.subject + " · " + a.estimated_min + " min · " + t("st_" + state);
    if (state === "refused" && h.errors) what += ": " + h.errors.join("; ");
    section.appendChild(el("p", { "class": "lesson-row", "data-homework": a.id, "data-state": state, text: what }));
  });
  if (!saved.length) section.appendChild(el("p", { "class": "note", text: "–" }));
  app.appendChild(section);
}
function saveHomework() {
  var errors = [], a = {}, v;
  a.date = val("hw_date"); if (!realDay(a.date)) errors.push(t("err_date"));
  a["class"] = val("hw_class"); if (!a["class"]) errors.push(t("err_class"));
  a.subject = val("hw_subject"); if (!a.subject) errors.push(t("err_subject"));
  a.teacher = val("hw_teacher"); if (!a.teacher) errors.push(t("err_teacher"));
  if (val("hw_school")) a.school = val("hw_school");
  v = val("hw_grade"); if (!/^\d+$/.test(v) || +v < 1 || +v > 12) errors.push(t("err_grade")); else a.grade = parseInt(v, 10);
  a.where = val("hw_where"); a.kind = val("hw_kind");
  v = parseFloat(val("hw_estimated_min")); if (!(v > 0) || !isFinite(v)) errors.push(t("err_estimated")); else a.estimated_min = v;
  v = val("hw_reported_min");
  if (v) {
    var parts = v.split(/[,，\s]+/).filter(Boolean), nums = parts.map(Number);
    if (nums.some(function (x) { return !(x >= 0) || !isFinite(x); })) errors.push(t("err_reported")); else a.reported_min = nums;
  }
  v = val("hw_exempt"); if (v) { if (!/^\d+$/.test(v)) errors.push(t("hwExempt") + ": " + t("err_count")); else a.exempt = parseInt(v, 10); }
  v = val("hw_graded_on"); if (v) { if (!realDay(v) || (realDay(a.date) && v < a.date)) errors.push(t("err_graded")); else a.graded_on = v; }
  if (app.querySelector("[name=hw_tiered]").checked) a.tiered = true;
  if (app.querySelector("[name=hw_essay]").checked) a.essay = true;
  a.published = app.querySelector("[name=hw_published]").checked;
  if (val("hw_notes")) a.notes = val("hw_notes");
  if (errors.length) { app.querySelector("#hw-error").textContent = errors.join(" · "); return; }
  a.id = ["hw", a.date, a["class"], randomPart()].join("-").replace(/\s+/g, "_");
  var ordered = {}; ["id", "date", "class", "subject", "teacher", "school", "grade", "where", "kind", "estimated_min", "reported_min",
                     "tiered", "exempt", "graded_on", "essay", "published", "notes"].forEach(function (k) { if (a[k] !== undefined) ordered[k] = a[k]; });
  var saved = load(KEY_HW, []);
  saved.push({ log: ordered, savedAt: Date.now(), state: CONFIG.server ? "queued" : "local" });
  store(KEY_HW, saved);
  if (CONFIG.server) { var box = load(KEY_HW_OUTBOX, []); box.push(a.id); store(KEY_HW_OUTBOX, box); }
  var last = load(KEY_HW_LAST, {}); last.grades = last.grades || {}; last.grades[a["class"]] = a.grade;
  last["class"] = a["class"]; last.subject = a.subject; last.teacher = a.teacher; last.school = a.school;
  store(KEY_HW_LAST, last);
  showHomework({ done: t("hwDone") });
  flushHomework();
}
// Queued assignments go to POST /api/homework; each line's answer sets its
// state: sent, refused (with the server's reasons, never retried silently)
// or waiting for login (401).
var sendingHomework = false;
function flushHomework() {
  if (!CONFIG.server || sendingHomework) return;
  var box = load(KEY_HW_OUTBOX, []); if (!box.length) return;
  var lines = load(KEY_HW, []).filter(function (h) { return box.indexOf(h.log.id) >= 0; });
  if (!lines.length) { store(KEY_HW_OUTBOX, []); return; }
  sendingHomework = true;
  fetch("api/homework", { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, credentials: "same-origin",
                          body: lines.map(function (h) { return JSON.stringify(h.log); }).join("\n") + "\n" })
    .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
    .then(function (res) {
      var answers = {};
      if (res.status === 401) box.forEach(function (id) { answers[id] = { state: "login" }; });
      (res.body.lines || []).forEach(function (l) {
        answers[l.id] = l.status === "stored" || l.status === "duplicate" ? { state: "sent" } : { state: "refused", errors: l.errors };
      });
      var all = load(KEY_HW, []);
      all.forEach(function (h) { var a = answers[h.log.id]; if (a) { h.state = a.state; h.errors = a.errors; } });
      store(KEY_HW, all);
      // Only what is still to be sent stays queued (a login may come back).
      store(KEY_HW_OUTBOX, load(KEY_HW_OUTBOX, []).filter(function (id) { return !answers[id] || answers[id].state === "login"; }));
      if (app.querySelector("#homework-saved")) showHomework();
    })
    .catch(function () {})
    .then(function () { sendingHomework = false; });
}
if (CONFIG.server) { window.addEventListener("online", flushHomework); setInterval(flushHomework, 30000); }

window.lessonlens = {
  lessons: function () { return load(KEY_SAVED, []).map(function (s) { return JSON.parse(JSON.stringify(s.log)); }); },
  current: function () { return state ? JSON.parse(JSON.stringify(state)) : null; },
  metrics: function () { return state ? metrics(state, state.phase === "end" ? state.endedAt : now()) : null; },
  flush: flush,
  homework: function () { return load(KEY_HW, []).map(function (h) { return { log: h.log, state: h.state || "local", errors: h.errors || [] }; }); },
  // The core's metrics and standards of any observation-log-v1 lesson object.
  evaluate: function (log) {
    var m = evaluateMetrics(log), s = standards(m, log.present == null ? null : log.present, policyFor(log.subject, log.grade));
    return { metrics: m, standards: s };
  },
  flushHomework: flushHomework
};

if (state && state.phase === "record") showRecord();
else if (state && (state.phase === "end" || state.phase === "edit")) showEnd();
else showSetup();
flush();
flushHomework();
})();
