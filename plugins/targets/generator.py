"""Pelican generator for the statistics section /thong-ke/: per year a
dashboard page, and the same figures as JSON and CSV."""

from __future__ import annotations

import json
from pathlib import Path

from pelican.generators import Generator
from pelican.writers import Writer

from plugins import urls
from plugins.contract.build import portal_build
from plugins.output import write_output

from .collect import channel_labels, channel_names, from_articles, from_channels
from .dashboard import year_stats
from .formats import year_csv
from .settings import load


class StatsGenerator(Generator):
    def generate_context(self):
        st = portal_build(self)
        self.options = load(self.settings)
        records = from_articles(self.context["articles"]) + from_channels(st.channels.items)
        names, labels = channel_names(st.channels), channel_labels(st.channels)
        years = sorted({r.day.year for r in records} | {st.now.year}, reverse=True)
        self.stats = [year_stats(st.registry, records, y, st.now, self.options, names, labels) for y in years]
        self.context["stats_in_site"] = not self.options.board_output

    def generate_output(self, writer):
        if self.options.board_output:
            target = Path(self.options.board_output)
            writer = Writer(str(target), settings=self.settings)
        else:
            target = Path(self.output_path)
        context = {**self.context, "stats_years": self.stats}
        writer.write_file(urls.save_as(urls.STATS_URL), self.get_template("stats_index"), context, url=urls.STATS_URL)
        for stats in self.stats:
            writer.write_file(urls.save_as(stats.url), self.get_template("stats"), context, url=stats.url, stats=stats)
            write_output(target, urls.stats_data(stats.year, "json"), json.dumps(stats.as_json(), ensure_ascii=False, indent=2) + "\n")
            write_output(target, urls.stats_data(stats.year, "csv"), year_csv(stats.reports))
