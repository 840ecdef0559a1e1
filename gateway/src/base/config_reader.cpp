// The strict YAML reader behind configuration loading (see config_reader.h).
#include "base/config_reader.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <sstream>

namespace sluice::gateway {
namespace {

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

void config_reader::problem(const YAML::Node& at, const std::string& key, std::string message) {
  config_problem p;
  p.file = file_;
  const YAML::Mark m = at.Mark();
  if (m.line >= 0) {
    p.line = m.line + 1;
    p.column = m.column + 1;
  }
  p.key = key;
  p.message = std::move(message);
  problems_.push_back(std::move(p));
}

bool config_reader::expect_map(const YAML::Node& map, const std::string& key,
                               std::initializer_list<std::string_view> allowed) {
  if (!map.IsMap()) {
    problem(map, key, "expected a mapping");
    return false;
  }
  for (const auto& kv : map) {
    const std::string name = kv.first.Scalar();
    bool ok = false;
    for (auto a : allowed) {
      ok = ok || a == name;
    }
    if (!ok) {
      std::string list;
      for (auto a : allowed) {
        list += list.empty() ? "" : ", ";
        list += a;
      }
      problem(kv.first, join(key, name), "unknown key (expected one of: " + list + ")");
    }
  }
  return true;
}

bool config_reader::get_string(const YAML::Node& n, const std::string& key, std::string& out) {
  if (!n.IsScalar()) {
    problem(n, key, "expected a string");
    return false;
  }
  out = n.Scalar();
  return true;
}

bool config_reader::get_bool(const YAML::Node& n, const std::string& key, bool& out) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true" || s == "yes" || s == "on") {
      out = true;
      return true;
    }
    if (s == "false" || s == "no" || s == "off") {
      out = false;
      return true;
    }
  }
  problem(n, key, "expected true or false");
  return false;
}

bool config_reader::get_double(const YAML::Node& n, const std::string& key, double& out, double lo, double hi) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && errno == 0) {
      if (v < lo || v > hi) {
        problem(n, key, "expected a number from " + fmt(lo) + " to " + fmt(hi) + ", got " + s);
        return false;
      }
      out = v;
      return true;
    }
  }
  problem(n, key, "expected a number");
  return false;
}

bool config_reader::get_integer(const YAML::Node& n, const std::string& key, long long& out, long long lo,
                                long long hi) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && ptr == s.data() + s.size()) {
      if (v < lo || v > hi) {
        problem(n, key, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + s);
        return false;
      }
      out = v;
      return true;
    }
  }
  problem(n, key, "expected an integer");
  return false;
}

bool config_reader::get_ms(const YAML::Node& n, const std::string& key, milliseconds& out) {
  long long v = 0;
  if (get_int(n, key, v, 1, 24LL * 3600 * 1000)) {
    out = milliseconds(v);
    return true;
  }
  return false;
}

bool config_reader::get_string_list(const YAML::Node& n, const std::string& key,
                                    std::vector<std::pair<std::string, YAML::Node>>& out) {
  if (!n.IsSequence()) {
    problem(n, key, "expected a list of strings");
    return false;
  }
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node item = n[i];
    if (!item.IsScalar()) {
      problem(item, key + "[" + std::to_string(i) + "]", "expected a string");
      continue;
    }
    out.emplace_back(item.Scalar(), item);
  }
  return true;
}

void config_reader::get_names(const YAML::Node& n, const std::string& key, std::set<std::string>& out,
                              const std::set<std::string, std::less<>>& known, const char* what) {
  std::vector<std::pair<std::string, YAML::Node>> names;
  if (!get_string_list(n, key, names)) {
    return;
  }
  for (auto& [name, node] : names) {
    if (!known.empty() && !known.contains(name)) {
      std::string list;
      for (const auto& k : known) {
        list += list.empty() ? "" : ", ";
        list += k;
      }
      problem(node, key, std::string("unknown ") + what + " '" + name + "' (known: " + list + ")");
      continue;
    }
    out.insert(name);
  }
}

}  // namespace sluice::gateway
