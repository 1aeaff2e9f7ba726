# typo.sh: goldens of typography and language tagging (see parse.sh).
golden_dir "$top/tests/typo" --tree ""
