// The reading floor of Benchmarks/side-by-side (from the project's shared bench, unchanged below
// this comment): simdjson On-Demand walks every lesson of an NDJSON file, touching the fields
// a per-lesson evaluation needs (segments' start/end/kind, performances' student, roster, teacher),
// summing a checksum so nothing is optimised away. One thread; no validation beyond simdjson's,
// no metrics; it stops being a fair floor on archives with malformed lines (it does not recover).
// Build: g++ -O3 -march=native -std=c++17 simdjson-walk.cpp -lsimdjson   usage: walk FILE
#include <simdjson.h>
#include <chrono>
#include <cstdio>
using namespace simdjson;
static double t_of(ondemand::value v) {
  if (v.type() == ondemand::json_type::number) return double(v.get_double());
  std::string_view s = v.get_string(); size_t c = s.find(':');
  return std::stoi(std::string(s.substr(0, c))) * 60.0 + std::stoi(std::string(s.substr(c + 1)));
}
int main(int argc, char** argv) {
  padded_string json = padded_string::load(argv[1]);
  auto t0 = std::chrono::steady_clock::now();
  ondemand::parser parser;
  ondemand::document_stream docs = parser.iterate_many(json, 4 << 20);
  double sum = 0; size_t n = 0, bad = 0;
  for (auto doc_ : docs) {
    auto doc_r = doc_; ondemand::document_reference doc; if (std::move(doc_r).get(doc)) { bad++; continue; }
    try {
      ondemand::object o = doc.get_object();
      for (auto field : o) {
        std::string_view k = field.unescaped_key();
        if (k == "segments") {
          for (auto seg : field.value().get_array()) {
            for (auto sf : seg.get_object()) {
              std::string_view sk = sf.unescaped_key();
              if (sk == "start" || sk == "end") sum += t_of(sf.value());
              else if (sk == "kind") sum += std::string_view(sf.value().get_string()).size();
            }
          }
        } else if (k == "performances") {
          for (auto p : field.value().get_array())
            for (auto pf : p.get_object()) { std::string_view pk = pf.unescaped_key(); if (pk == "student") sum += std::string_view(pf.value().get_string()).size(); }
        } else if (k == "students") {
          for (auto s : field.value().get_array()) for (auto sf : s.get_object()) { sum += std::string_view(sf.value().get_string()).size(); }
        } else if (k == "teacher") { sum += std::string_view(field.value().get_string()).size(); }
      }
      n++;
    } catch (simdjson_error&) { bad++; }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  printf("lessons=%zu bad=%zu secs=%.3f MB/s=%.0f checksum=%.0f\n", n, bad, s, json.size() / s / 1e6, sum);
}
