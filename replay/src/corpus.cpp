#include "sluice/replay/corpus.h"

#include <simdjson.h>

#include <algorithm>
#include <fstream>

namespace sluice::replay {

namespace {

bool get_string(simdjson::dom::object& obj, const char* key, std::string& out, bool required,
                std::string& error) {
  simdjson::dom::element value;
  if (obj[key].get(value) != simdjson::SUCCESS) {
    if (required) {
      error = std::string("missing \"") + key + "\"";
    }
    return !required;
  }
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) {
    error = std::string("\"") + key + "\" is not a string";
    return false;
  }
  out.assign(s);
  return true;
}

bool parse_entities(simdjson::dom::array arr, corpus_record& out, std::string& error) {
  for (simdjson::dom::element item : arr) {
    simdjson::dom::object e;
    if (item.get_object().get(e) != simdjson::SUCCESS) {
      error = "an entity is not an object";
      return false;
    }
    labelled_span span;
    if (!get_string(e, "type", span.type, true, error)) {
      return false;
    }
    std::int64_t start = 0;
    std::int64_t end = 0;
    if (e["start"].get_int64().get(start) != simdjson::SUCCESS ||
        e["end"].get_int64().get(end) != simdjson::SUCCESS) {
      error = "entity \"start\"/\"end\" missing or not integers";
      return false;
    }
    if (start < 0 || end <= start || static_cast<std::uint64_t>(end) > out.text.size()) {
      error = "entity offsets " + std::to_string(start) + ".." + std::to_string(end) +
              " outside the text (" + std::to_string(out.text.size()) + " bytes)";
      return false;
    }
    span.start = static_cast<std::uint32_t>(start);
    span.end = static_cast<std::uint32_t>(end);
    out.entities.push_back(std::move(span));
  }
  std::sort(out.entities.begin(), out.entities.end(),
            [](const labelled_span& a, const labelled_span& b) { return a.start < b.start; });
  return true;
}

}  // namespace

bool parse_corpus_line(std::string_view line, corpus_record& out, std::string& error) {
  // A parser per thread, reused: replay reads thousands of lines.
  thread_local simdjson::dom::parser parser;
  out = corpus_record{};
  simdjson::dom::element doc;
  if (auto err = parser.parse(line.data(), line.size()).get(doc); err != simdjson::SUCCESS) {
    error = std::string("not valid JSON: ") + simdjson::error_message(err);
    return false;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    error = "not a JSON object";
    return false;
  }
  if (!get_string(obj, "text", out.text, true, error) || !get_string(obj, "id", out.id, false, error) ||
      !get_string(obj, "lang", out.lang, false, error)) {
    return false;
  }
  simdjson::dom::array entities;
  if (obj["entities"].get_array().get(entities) == simdjson::SUCCESS) {
    out.shape = record_shape::pii;
    return parse_entities(entities, out, error);
  }
  bool injection = false;
  if (obj["injection"].get_bool().get(injection) == simdjson::SUCCESS) {
    out.shape = record_shape::injection;
    out.injection = injection;
    return get_string(obj, "category", out.category, false, error);
  }
  error = "neither a PII line (\"entities\" array) nor an injection line (\"injection\" boolean)";
  return false;
}

bool read_corpus_file(const std::string& path, std::vector<corpus_record>& records,
                      std::vector<corpus_error>& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back({path, 0, "cannot open the file"});
    return false;
  }
  std::string line;
  std::size_t number = 0;
  std::string error;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find_first_not_of(" \t") == std::string::npos) {
      continue;
    }
    corpus_record record;
    if (parse_corpus_line(line, record, error)) {
      if (record.id.empty()) {
        record.id = path + ":" + std::to_string(number);
      }
      records.push_back(std::move(record));
    } else {
      errors.push_back({path, number, error});
    }
  }
  return true;
}

}  // namespace sluice::replay
