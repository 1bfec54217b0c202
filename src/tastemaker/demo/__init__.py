"""Demo data: a seeded generator of fictitious creators calibrated on public aggregates
(generator, distributions, names), the demo workspace's story (scenario), and the code that
writes both through the domain services (loader). `tastemaker demo` is the CLI."""
