// Text mode: the input is one text, cut into chunks (sluice/engine/chunked_scan.h) that the workers scan
// in parallel; the writer prints each chunk's part as soon as it and every chunk before it are done.
// A text that fits in one chunk prints the one record a whole-text scan always printed.
#include <string>
#include <vector>

#include "scan_modes.h"
#include "scan_report.h"
#include "sluice/engine/chunked_scan.h"
#include "sluice/engine/ordered_pipeline.h"

namespace sluice::cli {
namespace {

struct text_item {
  engine::text_chunk chunk;
  engine::chunk_scan_result result;
  engine::errc status = engine::errc::ok;
  std::string out;         // what the part prints (without the line break)
  bool formatted = false;  // `out` was built on the worker
};

// A scanned chunk's output: its redacted text (--format text), or its record.
void format_part(const scan_context& ctx, const std::string& id_json, const text_item& item,
                 engine::redactor& redactor, std::string& out) {
  const engine::text_chunk& chunk = item.chunk;
  const engine::ruleset& rules = *ctx.rules;
  out.clear();
  if (ctx.text_output()) {
    engine::redact_chunk(chunk.bytes, chunk.base, item.result.output_begin, item.result.output_end,
                         item.result.entities, rules, redactor, out);
  } else if (chunk.index == 0 && chunk.last) {
    append_scan_record(out, id_json, chunk.window(), item.result.window, rules, redactor, ctx.style());
  } else {
    append_part_record(out, id_json, chunk.index, chunk, item.result, rules, redactor, ctx.style());
  }
}

}  // namespace

void scan_text(scan_context& ctx, block_input& in, const std::string& id_json, progress_meter& progress) {
  const engine::ruleset& rules = *ctx.rules;
  engine::text_chunker chunker(ctx.settings.chunk_bytes, engine::chunk_margin(rules));
  const engine::chunk_read_fn read = [&in](char* dst, std::size_t max) { return in.read(dst, max); };
  bool read_failed = false;

  // Tag placeholders depend on nothing but the entity, so each worker redacts and formats its own
  // chunk; numbered ones count across the whole text, so the writer does it, in order, with one
  // redactor, as for one text.
  const bool format_on_workers = ctx.redaction_style() == engine::redaction_style::tag;
  std::vector<engine::redactor> worker_redactors(ctx.scanners.size(), engine::redactor(engine::redaction_style::tag));
  engine::redactor redactor(ctx.redaction_style());
  engine::injection_summary injection(rules, ctx.model != nullptr);
  std::string record;
  std::uint64_t parts = 0;
  std::uint64_t findings = 0;
  std::uint64_t bytes = 0;

  engine::run_ordered_pipeline<text_item>(
      ctx.scanners.size(), 2 * ctx.scanners.size() + 2,
      [&](text_item& item) {
        switch (chunker.next(item.chunk, read)) {
          case engine::text_chunker::status::chunk:
            return true;
          case engine::text_chunker::status::read_error:
            read_failed = true;
            return false;
          case engine::text_chunker::status::end:
            return false;
        }
        return false;
      },
      [&](std::size_t worker, text_item& item) {
        item.status = engine::scan_chunk(ctx.scanners[worker], item.chunk, item.result, ctx.options);
        item.formatted = format_on_workers && item.status == engine::errc::ok;
        if (item.formatted) {
          format_part(ctx, id_json, item, worker_redactors[worker], item.out);
        }
      },
      [&](text_item& item) {
        const engine::text_chunk& chunk = item.chunk;
        const bool whole = chunk.index == 0 && chunk.last;
        ++parts;
        bytes = chunk.base + chunk.core_end;
        record.clear();
        if (item.status != engine::errc::ok) {
          ctx.had_errors = true;
          std::string message = "input rejected: " + std::string(engine::to_string(item.status));
          if (!whole) {
            message = "part " + std::to_string(chunk.index) + " (bytes " + std::to_string(chunk.base + chunk.core_begin) +
                      "-" + std::to_string(chunk.base + chunk.core_end) + "): " + message;
          }
          append_error_record(record, id_json, 0, message);
          ctx.write_line(record);
        } else {
          if (!item.formatted) {
            format_part(ctx, id_json, item, redactor, item.out);
          }
          if (ctx.text_output()) {
            // Redacted text only: the parts' outputs tile the input, so they are written back to back.
            if (std::fwrite(item.out.data(), 1, item.out.size(), ctx.out) != item.out.size()) {
              ctx.had_errors = true;
            }
            if (chunk.last) {
              ctx.write_line({});
            }
          } else {
            ctx.write_line(item.out);
          }
          if (!whole) {
            findings += item.result.entities.size();
            injection.add(item.result);
          }
        }
        if (chunk.last && !whole && !ctx.text_output()) {
          record.clear();
          append_summary_record(record, id_json, parts, bytes, findings, injection, rules, ctx.style());
          ctx.write_line(record);
        }
        progress.update(bytes);
      });
  if (read_failed) {
    ctx.error(id_json, 0, "read error after " + std::to_string(bytes) + " bytes");
  }
}

}  // namespace sluice::cli
