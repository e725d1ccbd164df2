"""The evaluation's domain: handling rounds from the timeline, figures, scores."""
