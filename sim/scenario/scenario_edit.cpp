#include "scenario/scenario_edit.hpp"

#include "scenario/scenario_edit_resolver.hpp"

namespace geosim {

using namespace edit_detail;

ScenarioEdit ScenarioEdit::Resolver::run() {
  t = tokenize(path, where);
  e.path_ = path;
  const std::vector<std::string> sweepable = {"parameters", "actors",   "rest_of_world",
                                              "flows",      "timeline", "policies",
                                              "shocks",     "channels", "blocs"};
  const std::string& section = key(0, "a section: " + join_words(sweepable));
  if (section == "parameters")
    parameters();
  else if (section == "actors")
    actors();
  else if (section == "rest_of_world")
    rest_of_world();
  else if (section == "flows")
    flows();
  else if (section == "timeline")
    timeline();
  else if (section == "policies")
    policies();
  else if (section == "shocks")
    shocks();
  else if (section == "channels")
    channels();
  else if (section == "blocs")
    blocs();
  else if (section == "metadata")
    fail(
        "metadata cannot be swept: start, turn and turns place every event and set the run's "
        "length, the seed is the runs' root seed (vary the run id instead), and name and "
        "description are text");
  else if (section == "poles")
    fail("poles have no numeric fields");
  else
    fail("'" + section + "' names nothing that can be swept" + did_you_mean(section, sweepable) +
         "; sweepable paths start with: " + join_words(sweepable));
  return std::move(e);
}

ScenarioEdit ScenarioEdit::resolve(const Scenario& sc, const std::string& path,
                                   const Location& where) {
  return Resolver{sc, path, where, {}, {}}.run();
}

double ScenarioEdit::checked(double value) const {
  const std::string unit = unit_.empty() ? std::string() : " " + unit_;
  const std::string range = "[" + number_text(lo_) + ", " + number_text(hi_) + "]" + unit;
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument(path_ + " = " + number_text(value) + unit + ": " + why);
  };
  if (!std::isfinite(value)) fail("not a finite number; expected a number in " + range);
  if (integer_) {
    if (value != std::floor(value) || value < lo_ || value > hi_)
      fail("expected a whole number in " + range);
    return value;
  }
  // The loader checks a quantity after converting it, a plain number (a flow's value) before.
  const double canonical = conv_(value);
  const double v = range_after_conversion_ ? canonical : value;
  if (!std::isfinite(v) || v < lo_ || v > hi_) fail("out of range; expected a number in " + range);
  return canonical;
}

void ScenarioEdit::apply(Scenario& sc, double value) const {
  set_(sc, checked(value));
}

std::string ScenarioEdit::as_set(double value) const {
  std::string text = number_text(value);
  if (unit_in_value_) text += " " + unit_;
  return path_ + "=" + text;
}

}  // namespace geosim
