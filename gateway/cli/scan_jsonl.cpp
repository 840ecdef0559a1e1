// JSONL mode: the reader cuts the input into batches of whole lines (about settings.chunk_bytes each),
// the workers parse and scan every line of a batch into its output records, and the writer prints the
// batches in order. Bad lines never stop the run: an invalid line gives an error record naming it.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "scan_modes.h"
#include "scan_report.h"
#include "sluice/engine/ordered_pipeline.h"

namespace sluice::cli {
namespace {

struct jsonl_batch {
  std::string bytes;            // whole lines, each ending in '\n' (but perhaps the input's last)
  std::size_t first_line = 0;   // the number of its first line (1-based)
  std::uint64_t end_offset = 0; // input bytes up to the batch's end
  std::string out;              // the records of its lines
  bool had_errors = false;
};

// One worker's parser and buffers.
struct line_scanner {
  simdjson::ondemand::parser parser;
  std::string padded;     // the line with simdjson's padding after it
  std::string text_copy;  // the unescaped text (simdjson's view dies with the document)
  std::string id_json;
  engine::scan_result result;
  engine::redactor redactor;
};

void scan_line(scan_context& ctx, line_scanner& ls, engine::scanner& scanner, std::string_view line,
               std::size_t number, const std::string& source, jsonl_batch& batch) {
  const auto error = [&](const std::string& message) {
    batch.had_errors = true;
    append_error_record(batch.out, ls.id_json, number, source + ":" + std::to_string(number) + ": " + message);
    batch.out += '\n';
  };
  ls.padded.resize(line.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(ls.padded.data(), line.data(), line.size());
  simdjson::ondemand::document doc;
  std::string_view text;
  bool has_text = false;
  ls.id_json = "null";
  auto err = ls.parser.iterate(ls.padded.data(), line.size(), ls.padded.size()).get(doc);
  simdjson::ondemand::object obj;
  if (!err) {
    err = doc.get_object().get(obj);
  }
  if (!err) {
    // Keep the id exactly as written (string or number); read the text.
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) {
        err = simdjson::TAPE_ERROR;
        break;
      }
      if (key == "id") {
        std::string_view raw;
        if (!field.value().raw_json_token().get(raw)) {
          ls.id_json.assign(raw);
          while (!ls.id_json.empty() && (ls.id_json.back() == ' ' || ls.id_json.back() == '\r')) {
            ls.id_json.pop_back();
          }
        }
      } else if (key == "text") {
        if (field.value().get_string().get(text)) {
          err = simdjson::INCORRECT_TYPE;
          break;
        }
        ls.text_copy.assign(text);
        has_text = true;
      }
    }
  }
  if (err) {
    error(std::string("invalid JSON line (") + simdjson::error_message(err) + ")");
    return;
  }
  if (!has_text) {
    error("record has no string field \"text\"");
    return;
  }
  ls.redactor.reset();
  const engine::errc e = scanner.scan(ls.text_copy, ls.result, ctx.options);
  if (e != engine::errc::ok) {
    batch.had_errors = true;
    append_error_record(batch.out, ls.id_json, 0, std::string("input rejected: ") + std::string(engine::to_string(e)));
  } else if (ctx.text_output()) {
    ls.redactor.redact(ls.text_copy, ls.result.entities, scanner.rules(), batch.out);
  } else {
    append_scan_record(batch.out, ls.id_json, ls.text_copy, ls.result, scanner.rules(), ls.redactor, ctx.style());
  }
  batch.out += '\n';
}

}  // namespace

void scan_jsonl(scan_context& ctx, block_input& in, const std::string& source, progress_meter& progress) {
  const std::size_t batch_bytes = std::max<std::size_t>(ctx.settings.chunk_bytes, 4096);
  std::string carry;  // the start of a line the last batch did not finish
  std::size_t next_line = 1;
  std::uint64_t offset = 0;
  bool eof = false;
  bool read_failed = false;
  std::vector<line_scanner> workers(ctx.scanners.size());
  for (line_scanner& w : workers) {
    w.redactor = engine::redactor(ctx.redaction_style());
  }

  engine::run_ordered_pipeline<jsonl_batch>(
      ctx.scanners.size(), 2 * ctx.scanners.size() + 2,
      [&](jsonl_batch& batch) {
        if (eof && carry.empty()) {
          return false;
        }
        batch.bytes.assign(carry);
        carry.clear();
        // Read until the batch holds a line break (a line longer than a batch makes the batch longer).
        std::size_t cut = std::string::npos;
        while (!eof) {
          const std::size_t have = batch.bytes.size();
          batch.bytes.resize(have + batch_bytes);
          const std::ptrdiff_t n = in.read(batch.bytes.data() + have, batch_bytes);
          batch.bytes.resize(have + static_cast<std::size_t>(std::max<std::ptrdiff_t>(n, 0)));
          if (n <= 0) {
            read_failed = n < 0;
            eof = true;
            break;
          }
          // Only the new bytes can hold a line break: the carry is what followed the last one.
          const void* nl = ::memrchr(batch.bytes.data() + have, '\n', static_cast<std::size_t>(n));
          if (nl != nullptr) {
            cut = static_cast<std::size_t>(static_cast<const char*>(nl) - batch.bytes.data());
            break;
          }
        }
        if (!eof && cut != std::string::npos) {
          carry.assign(batch.bytes, cut + 1);
          batch.bytes.resize(cut + 1);
        }
        if (batch.bytes.empty()) {
          return false;
        }
        batch.first_line = next_line;
        next_line += static_cast<std::size_t>(std::count(batch.bytes.begin(), batch.bytes.end(), '\n'));
        offset += batch.bytes.size();
        batch.end_offset = offset;
        return true;
      },
      [&](std::size_t worker, jsonl_batch& batch) {
        batch.out.clear();
        batch.had_errors = false;
        std::string_view rest = batch.bytes;
        std::size_t number = batch.first_line;
        while (!rest.empty()) {
          const std::size_t nl = rest.find('\n');
          const std::string_view line = rest.substr(0, nl);
          rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
          if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
            scan_line(ctx, workers[worker], ctx.scanners[worker], line, number, source, batch);
          }
          ++number;
        }
      },
      [&](jsonl_batch& batch) {
        if (std::fwrite(batch.out.data(), 1, batch.out.size(), ctx.out) != batch.out.size()) {
          ctx.had_errors = true;
        }
        ctx.had_errors = ctx.had_errors || batch.had_errors;
        progress.update(batch.end_offset);
      });
  if (read_failed) {
    ctx.error("null", 0, source + ": read error after " + std::to_string(offset) + " bytes");
  }
}

}  // namespace sluice::cli
