// Checks what headless Chromium made of report.html: no console messages (the page has no scripts, so any
// message is an error: a blocked load, a parse problem), and every chart drawn with shapes.
//   segmint_dom_check DOM.html CONSOLE.log MIN_CHARTS
// Prints one line per chart and exits 1 with the reasons when a check fails.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

struct chart {
  std::string title;
  size_t shapes = 0;  // rect, circle, path, line, polyline
  size_t texts = 0;
};

std::vector<chart> charts_in(const std::string& dom) {
  std::vector<chart> out;
  for (auto b = dom.find("<svg"); b != std::string::npos; b = dom.find("<svg", b + 4)) {
    const auto e = dom.find("</svg>", b);
    if (e == std::string::npos) break;
    const std::string svg = dom.substr(b, e - b);
    chart c;
    const auto t0 = svg.find("<title>");
    const auto t1 = svg.find("</title>", t0);
    if (t0 != std::string::npos && t1 != std::string::npos) c.title = svg.substr(t0 + 7, t1 - t0 - 7);
    for (const char* tag : {"<rect", "<circle", "<path", "<line ", "<polyline"}) c.shapes += count_of(svg, tag);
    c.texts = count_of(svg, "<text");
    out.push_back(c);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: segmint_dom_check DOM.html CONSOLE.log MIN_CHARTS\n";
    return 2;
  }
  const std::string dom = slurp(argv[1]);
  const std::string console = slurp(argv[2]);
  const auto min_charts = static_cast<size_t>(std::stoul(argv[3]));
  std::vector<std::string> problems;

  std::istringstream lines(console);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos)
      problems.push_back("console: " + line);

  if (dom.find("</html>") == std::string::npos)
    problems.push_back("the DOM dump is incomplete (" + std::to_string(dom.size()) + " bytes)");
  const auto charts = charts_in(dom);
  if (charts.size() < min_charts)
    problems.push_back("only " + std::to_string(charts.size()) + " charts, expected at least " +
                       std::to_string(min_charts));
  for (const auto& c : charts) {
    std::cout << "chart '" << c.title << "': " << c.shapes << " shapes, " << c.texts << " texts\n";
    if (c.title.empty()) problems.push_back("a chart without a title");
    if (c.shapes < 3 || c.texts < 3) problems.push_back("chart '" + c.title + "' has almost nothing drawn");
    if (c.title == "Customer map" && c.shapes < 100) problems.push_back("the customer map has fewer than 100 shapes");
  }
  for (const auto& p : problems) std::cerr << "FAIL: " << p << "\n";
  return problems.empty() ? 0 : 1;
}
