"""Vetting: is a creator's audience real? The fake-follower model and its reports.

`features` defines the one profile schema every source is mapped to, `datasets` maps the
public labelled sets to it, `training` and `evaluation` build and measure the shipped
LightGBM model, `scoring` turns a follower sample into a creator-level report, `sample`
reads the sample files marketers upload, and `cli` is `tastemaker vetting ...`.
"""
