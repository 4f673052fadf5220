// `geosim run --checkpoint-at` and `--from`: which turn a checkpoint is at, and whether a
// scenario may continue from one.
#include <charconv>

#include "app/cli_support.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"
#include "scenario/history.hpp"

namespace geosim::cli {

int checkpoint_turn(const std::string& text, const Scenario& sc) {
  const Location where{"<command line>", 0, 0};
  const std::string last = std::to_string(sc.turns - 2);
  const std::string expected = "expected a turn from 0 to " + last +
                               " or a date (YYYY-MM or YYYY-MM-DD) from " + sc.start.str() +
                               " to " + sc.date_of_turn(sc.turns - 2).str();
  int turn = -1;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), turn);
  if (ec == std::errc() && p == text.data() + text.size() && !text.empty()) {
    // a turn number
  } else if (const auto d = parse_date(text.size() == 7 ? text + "-01" : text)) {
    const int months = months_between(sc.start, *d);
    turn = months < 0 ? -1 : months / sc.months_per_turn;
  } else {
    throw InputError(where, "--checkpoint-at", expected + ", got '" + text + "'");
  }
  if (turn < 0 || turn > sc.turns - 2)
    throw InputError(where, "--checkpoint-at",
                     expected + " (a checkpoint needs a turn after it), got '" + text + "'");
  return turn;
}

void check_fork(const CheckpointInfo& ckpt, const Scenario& sc, const std::string& scenario_file,
                std::uint64_t run_id, bool run_id_given) {
  Diagnostics d;
  const Location file{scenario_file, 0, 0};
  const Location cli{"<command line>", 0, 0};
  if (ckpt.turn > sc.turns - 2)
    d.error(file, "metadata.turns",
            "the run has " + std::to_string(sc.turns) +
                " turns, none after the checkpoint's turn " + std::to_string(ckpt.turn));
  if (sc.seed != ckpt.seed)
    d.error(file, "metadata.seed",
            "seed " + std::to_string(sc.seed) + " differs from the checkpoint's " +
                std::to_string(ckpt.seed) + "; a fork continues the checkpoint's random numbers " +
                "(pass --seed " + std::to_string(ckpt.seed) + ")");
  if (run_id_given && run_id != ckpt.run_id)
    d.error(cli, "--run-id",
            "run id " + std::to_string(run_id) + " differs from the checkpoint's " +
                std::to_string(ckpt.run_id) + "; leave it out to continue the checkpoint's run");
  if (d.empty())
    for (const auto& path : parse_stored(ckpt.path, "scenario history", [&] {
           return history_differences(ckpt.history_yaml, history_yaml(sc, ckpt.turn));
         }))
      d.error(file, path,
              "differs from the checkpoint's scenario '" + ckpt.scenario_name +
                  "' in what decided the state up to its turn " + std::to_string(ckpt.turn) + " (" +
                  ckpt.date + "); a fork may only change timeline events dated after it");
  d.throw_if_any();
}

}  // namespace geosim::cli
