"""kg: a knowledge-graph builder for French news."""
