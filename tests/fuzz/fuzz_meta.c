/* fuzz_meta.c: libFuzzer target: book.yaml, and front matter. */
#include <stdlib.h>
#include <string.h>

#include "mkcitybook.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_opts	 po = { 1 };
	struct bookmeta		 m;
	struct article		*art;
	char			*fm;

	memset(&m, 0, sizeof(m));
	bookmeta_parse(&m, (const char *)data, size);
	bookmeta_free(&m);

	/* The same bytes as an article's front matter. */
	fm = malloc(size + 9);
	memcpy(fm, "---\n", 4);
	memcpy(fm + 4, data, size);
	memcpy(fm + 4 + size, "\n---\n", 5);
	art = article_parse("fuzz.txt", fm, size + 9, &po);
	article_free(art);
	free(fm);
	return 0;
}
