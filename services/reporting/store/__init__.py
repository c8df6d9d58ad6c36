"""All of reporting's SQL, one module per table group: order-tolerant upserts of the projections, the
reads the figures are computed from, and the wipe a rebuild starts with."""
