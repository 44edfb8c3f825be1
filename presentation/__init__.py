"""Text and tables that pages and reports share: numbers and dates as officials write them, labels, sentences."""
