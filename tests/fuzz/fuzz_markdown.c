/* fuzz_markdown.c: libFuzzer target: Markdown (cmark) -> model. */
#include <stdio.h>

#include "mkcitybook.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE		*devnull;
	struct typo_opts	 o = { 1, "en" };
	struct article		*art;

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	art = markdown_parse("fuzz.md", (const char *)data, size, NULL);
	typo_article(art, &o);
	article_assign_ids(art, NULL);

	article_free(art);
	return 0;
}
