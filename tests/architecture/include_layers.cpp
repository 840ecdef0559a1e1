// include_layers: checks that every quoted #include of the source tree follows the layering written in
// tests/architecture/layers.txt (see the comment at its top), and that no file includes itself through
// others. Run by ctest on the tree; `include_layers SOURCE_DIR [LAYERS_FILE]` prints one line per
// problem ("file:line: includes X: why") and exits 1 when there is any.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct library {
  std::string name;
  std::string root;                              // e.g. gateway/src
  std::vector<std::string> sees;                 // public include directories it may use
  std::map<std::string, int> tier_of;            // folder -> tier (0 is the top)
  std::map<std::string, std::vector<std::string>> parts;  // folder -> its parts, top down ("." = top level)
};

struct public_dir {
  std::string dir;
  std::vector<std::string> sees;
};

struct client {
  std::string name;
  std::string dir;
  std::vector<std::string> sees;
  std::vector<std::string> uses;  // private folders, as ROOT/FOLDER
};

struct layering {
  std::vector<library> libraries;
  std::vector<public_dir> publics;
  std::vector<client> clients;
};

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) {
    out.push_back(w);
  }
  return out;
}

// Splits `w` after position `from` at the keyword `key` (or the end): the words before it, the rest.
std::vector<std::string> words_until(const std::vector<std::string>& w, std::size_t from, const std::string& key,
                                     std::size_t& stop) {
  std::vector<std::string> out;
  stop = from;
  while (stop < w.size() && w[stop] != key) {
    out.push_back(w[stop++]);
  }
  return out;
}

std::optional<layering> read_layering(const fs::path& file, std::string& error) {
  std::ifstream in(file);
  if (!in) {
    error = "cannot read " + file.string();
    return std::nullopt;
  }
  layering l;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) {
      line.resize(hash);
    }
    const auto w = words(line);
    if (w.empty()) {
      continue;
    }
    const auto bad = [&](const std::string& why) {
      error = file.string() + ":" + std::to_string(number) + ": " + why;
      return std::nullopt;
    };
    std::size_t at = 0;
    if (w[0] == "library" && w.size() >= 3) {
      library lib{w[1], w[2], {}, {}, {}};
      if (w.size() > 3) {
        if (w[3] != "sees") {
          return bad("expected 'sees' after the library's root");
        }
        lib.sees = words_until(w, 4, "", at);
      }
      l.libraries.push_back(std::move(lib));
    } else if (w[0] == "tier" && !l.libraries.empty()) {
      auto& lib = l.libraries.back();
      int tier = 0;
      for (const auto& [folder, t] : lib.tier_of) {
        tier = std::max(tier, t + 1);
      }
      for (std::size_t i = 1; i < w.size(); ++i) {
        lib.tier_of[w[i]] = tier;
      }
    } else if (w[0] == "parts" && w.size() >= 3 && !l.libraries.empty()) {
      l.libraries.back().parts[w[1]] = std::vector<std::string>(w.begin() + 2, w.end());
    } else if (w[0] == "public" && w.size() >= 2) {
      public_dir p{w[1], {}};
      if (w.size() > 2) {
        if (w[2] != "sees") {
          return bad("expected 'sees' after the public directory");
        }
        p.sees = words_until(w, 3, "", at);
      }
      l.publics.push_back(std::move(p));
    } else if (w[0] == "client" && w.size() >= 3) {
      client c{w[1], w[2], {}, {}};
      std::size_t i = 3;
      if (i < w.size() && w[i] == "sees") {
        c.sees = words_until(w, i + 1, "uses", i);
      }
      if (i < w.size() && w[i] == "uses") {
        c.uses = words_until(w, i + 1, "", i);
      }
      l.clients.push_back(std::move(c));
    } else {
      return bad("cannot read '" + line + "'");
    }
  }
  return l;
}

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

// The first path component of `path` below `root`, and the second one when there is one below it
// ("." for a file directly in the folder).
std::pair<std::string, std::string> folder_and_part(const std::string& path, const std::string& root) {
  const std::string rest = path.substr(root.size() + 1);
  const auto slash = rest.find('/');
  if (slash == std::string::npos) {
    return {"", "."};
  }
  const std::string folder = rest.substr(0, slash);
  const std::string inner = rest.substr(slash + 1);
  const auto slash2 = inner.find('/');
  return {folder, slash2 == std::string::npos ? "." : inner.substr(0, slash2)};
}

struct include_line {
  int line;
  std::string spelled;
};

std::vector<include_line> quoted_includes(const fs::path& file) {
  std::ifstream in(file);
  std::vector<include_line> out;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line[i] != '#') {
      continue;
    }
    i = line.find_first_not_of(" \t", i + 1);
    if (i == std::string::npos || line.compare(i, 7, "include") != 0) {
      continue;
    }
    const auto open = line.find('"', i + 7);
    const auto close = open == std::string::npos ? open : line.find('"', open + 1);
    if (close != std::string::npos) {
      out.push_back({number, line.substr(open + 1, close - open - 1)});
    }
  }
  return out;
}

class checker {
 public:
  checker(fs::path source, layering l) : source_(std::move(source)), l_(std::move(l)) {}

  int run() {
    collect();
    for (const auto& file : files_) {
      for (const auto& inc : quoted_includes(source_ / file)) {
        ++includes_;
        check(file, inc);
      }
    }
    find_cycles();
    for (const auto& p : problems_) {
      std::cout << p << '\n';
    }
    std::cout << "include_layers: " << files_.size() << " files, " << includes_ << " includes, "
              << problems_.size() << " problems\n";
    return problems_.empty() ? 0 : 1;
  }

 private:
  // Every source and header file under a library root, a public directory or a client directory.
  void collect() {
    std::set<std::string> dirs;
    for (const auto& lib : l_.libraries) {
      dirs.insert(lib.root);
    }
    for (const auto& p : l_.publics) {
      dirs.insert(p.dir);
    }
    for (const auto& c : l_.clients) {
      dirs.insert(c.dir);
    }
    for (const auto& dir : dirs) {
      if (!fs::is_directory(source_ / dir)) {
        problems_.push_back(dir + ": named in the layering but not a directory");
        continue;
      }
      for (const auto& entry : fs::recursive_directory_iterator(source_ / dir)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".h" || ext == ".cpp" || ext == ".hpp" || ext == ".cc")) {
          files_.insert(fs::relative(entry.path(), source_).generic_string());
        }
      }
    }
  }

  [[nodiscard]] bool exists(const std::string& path) const { return files_.count(path) > 0; }

  // Where the compiler would find `spelled` for `file`: next to it, then in the directories given.
  std::optional<std::string> resolve(const std::string& file, const std::string& spelled,
                                     const std::vector<std::string>& search) const {
    const std::string beside = (fs::path(file).parent_path() / spelled).lexically_normal().generic_string();
    if (exists(beside)) {
      return beside;
    }
    for (const auto& dir : search) {
      const std::string candidate = (fs::path(dir) / spelled).lexically_normal().generic_string();
      if (exists(candidate)) {
        return candidate;
      }
    }
    return std::nullopt;
  }

  // Any project file that `spelled` could name, for the message when the including file cannot see it.
  std::optional<std::string> anywhere(const std::string& spelled) const {
    std::vector<std::string> all;
    for (const auto& lib : l_.libraries) {
      all.push_back(lib.root);
    }
    for (const auto& p : l_.publics) {
      all.push_back(p.dir);
    }
    for (const auto& c : l_.clients) {
      all.push_back(c.dir);
    }
    return resolve("", spelled, all);
  }

  void problem(const std::string& file, const include_line& inc, const std::string& why) {
    problems_.push_back(file + ":" + std::to_string(inc.line) + ": includes \"" + inc.spelled + "\": " + why);
  }

  void check(const std::string& file, const include_line& inc) {
    for (const auto& lib : l_.libraries) {
      if (under(file, lib.root)) {
        return check_library_file(lib, file, inc);
      }
    }
    for (const auto& p : l_.publics) {
      if (under(file, p.dir)) {
        std::vector<std::string> search{p.dir};
        search.insert(search.end(), p.sees.begin(), p.sees.end());
        return note_or_complain(file, inc, resolve(file, inc.spelled, search),
                                "a public header includes only public headers");
      }
    }
    for (const auto& c : l_.clients) {
      if (under(file, c.dir)) {
        std::vector<std::string> search{c.dir};
        search.insert(search.end(), c.sees.begin(), c.sees.end());
        auto target = resolve(file, inc.spelled, search);
        if (!target) {
          for (const auto& used : c.uses) {
            const auto root = fs::path(used).parent_path().generic_string();
            if (auto t = resolve(file, inc.spelled, {root}); t && under(*t, used)) {
              target = t;
            }
          }
        }
        return note_or_complain(file, inc, target,
                                c.name + " sees only its own files, public headers and the folders it uses");
      }
    }
  }

  void note_or_complain(const std::string& file, const include_line& inc, const std::optional<std::string>& target,
                        const std::string& why) {
    if (target) {
      edges_[file].push_back(*target);
    } else if (const auto elsewhere = anywhere(inc.spelled)) {
      problem(file, inc, *elsewhere + " is out of reach: " + why);
    }
  }

  void check_library_file(const library& lib, const std::string& file, const include_line& inc) {
    std::vector<std::string> search{lib.root};
    search.insert(search.end(), lib.sees.begin(), lib.sees.end());
    const auto target = resolve(file, inc.spelled, search);
    if (!target) {
      if (const auto elsewhere = anywhere(inc.spelled)) {
        problem(file, inc, *elsewhere + " is out of reach of library " + lib.name);
      }
      return;
    }
    edges_[file].push_back(*target);
    if (!under(*target, lib.root)) {
      return;  // a public header it sees
    }
    const auto [from, from_part] = folder_and_part(file, lib.root);
    const auto [to, to_part] = folder_and_part(*target, lib.root);
    const auto from_tier = lib.tier_of.find(from);
    const auto to_tier = lib.tier_of.find(to);
    if (from_tier == lib.tier_of.end()) {
      problem(file, inc, "folder '" + from + "' is in no tier of library " + lib.name + " (tests/architecture/layers.txt)");
      return;
    }
    if (to_tier == lib.tier_of.end()) {
      problem(file, inc, "folder '" + to + "' is in no tier of library " + lib.name + " (tests/architecture/layers.txt)");
      return;
    }
    if (from != to) {
      if (to_tier->second < from_tier->second) {
        problem(file, inc, from + " may not include " + to + ", a higher layer");
      } else if (to_tier->second == from_tier->second) {
        problem(file, inc, from + " and " + to + " are peers and may not include each other");
      }
      return;
    }
    check_parts(lib, file, inc, from, from_part, to_part);
  }

  void check_parts(const library& lib, const std::string& file, const include_line& inc, const std::string& folder,
                   const std::string& from, const std::string& to) {
    if (from == to) {
      return;
    }
    const auto order = lib.parts.find(folder);
    if (order == lib.parts.end()) {
      if (from != "." && to != ".") {
        problem(file, inc, folder + "/" + from + " and " + folder + "/" + to + " are sibling parts and may not include each other");
      }
      return;
    }
    const auto& list = order->second;
    const auto from_at = std::find(list.begin(), list.end(), from);
    const auto to_at = std::find(list.begin(), list.end(), to);
    const auto name = [&](const std::string& part) { return part == "." ? folder + "'s top level" : folder + "/" + part; };
    if (from_at == list.end() || to_at == list.end()) {
      problem(file, inc, "the parts line of " + folder + " does not list " + name(from_at == list.end() ? from : to));
    } else if (to_at < from_at) {
      problem(file, inc, name(from) + " may not include " + name(to) + ", listed above it");
    }
  }

  // Depth-first search over the include graph; every back edge closes a loop, reported once.
  void find_cycles() {
    std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
    std::vector<std::string> path;
    std::set<std::string> reported;
    std::function<void(const std::string&)> visit = [&](const std::string& f) {
      state[f] = 1;
      path.push_back(f);
      for (const auto& next : edges_[f]) {
        if (state[next] == 1) {
          auto start = std::find(path.begin(), path.end(), next);
          std::vector<std::string> loop(start, path.end());
          std::string text;
          for (const auto& part : loop) {
            text += part + " -> ";
          }
          text += next;
          std::vector<std::string> key = loop;
          std::sort(key.begin(), key.end());
          std::string k;
          for (const auto& part : key) {
            k += part + ';';
          }
          if (reported.insert(k).second) {
            problems_.push_back("include cycle: " + text);
          }
        } else if (state[next] == 0) {
          visit(next);
        }
      }
      path.pop_back();
      state[f] = 2;
    };
    for (const auto& f : files_) {
      if (state[f] == 0) {
        visit(f);
      }
    }
  }

  fs::path source_;
  layering l_;
  std::set<std::string> files_;
  std::map<std::string, std::vector<std::string>> edges_;
  std::vector<std::string> problems_;
  std::size_t includes_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: include_layers SOURCE_DIR [LAYERS_FILE]\n";
    return 2;
  }
  const fs::path source = argv[1];
  const fs::path layers = argc == 3 ? fs::path(argv[2]) : source / "tests/architecture/layers.txt";
  std::string error;
  auto l = read_layering(layers, error);
  if (!l) {
    std::cerr << "include_layers: " << error << '\n';
    return 2;
  }
  return checker(source, std::move(*l)).run();
}
