"""The forms of the analysis screens, one module per screen. They validate what a POST (or a
filter in a query string) sends, ids included: an id of another program's row is an invalid choice,
with a message that names its field, and nothing is written."""
