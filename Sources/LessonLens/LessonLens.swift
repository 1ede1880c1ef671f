// LessonLens, the library: one import for a program that embeds it. The
// layers are modules of their own, so that the compiler keeps them apart:
//
//   LessonLensCore        the format, reading, rules, metrics, the stream
//   LessonLensStatistics  statistics over many lessons (GSL), S-T and profiles
//   LessonLensOutput      tables, JSON and CSV, SVG charts, HTML pages
//   LessonLensGenerator   synthetic archives
//
// See CONTRIBUTING.md for the picture and what goes where.
@_exported import LessonLensCore
@_exported import LessonLensGenerator
@_exported import LessonLensOutput
@_exported import LessonLensStatistics
