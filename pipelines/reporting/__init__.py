"""Charts and a self-contained HTML report over the warehouse (no Dagster import).

``charts``: the charts (matplotlib) and the HTML page; ``workers``: processes that draw them
side by side in a headless run. Importing the package imports neither (the CLI forks its
workers before anything heavy is loaded).
"""
