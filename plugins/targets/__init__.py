"""Article targets: counting per unit and period, reports for the editorial board."""
