"""The domain: records, money, codes, rules and the services over them. Never imports Qt."""
