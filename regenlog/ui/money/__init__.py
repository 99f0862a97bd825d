"""Money and deadlines in the window: the payoff of a financing plan, the yearly reports, the
deadlines calendar export, the spreadsheet (CSV) import wizard and the claim form's check
that no dollar is claimed twice."""
