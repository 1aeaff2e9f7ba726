# parse.sh: goldens of the readers.  Each tests/parse/NAME.txt or .md
# has NAME.tree beside it (the model, without typography) and, when
# mkcitybook says anything, NAME.err (its messages, then the exit
# status).  tests/typo works the same way with typography on.

golden_dir "$top/tests/parse" --tree --no-typography
