/* template.c: the XHTML skeletons and the stylesheet a user restyles. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "epub.h"

/* The defaults, compiled in from templates/ (build/templates_data.c). */
struct embedded_file {
	const char		*name;
	const unsigned char	*data;
	size_t			 len;
};
extern const struct embedded_file embedded_templates[];

static const char *const files[TPL_NKINDS] = {
	"chapter.xhtml", "titlepage.xhtml", "cover.xhtml", "colophon.xhtml",
	"nav.xhtml",
};

/* The slots each template may have, and those it must have. */
static const char *const allowed[TPL_NKINDS] = {
	" title subtitle byline body ",
	" title subtitle creators publisher ",
	" title cover ",
	" title colophon ",
	" title toc landmarks ",
};
static const char *const required[TPL_NKINDS] = {
	" title body ",
	" title ",
	" cover ",
	" colophon ",
	" toc landmarks ",
};

static const struct embedded_file *
embedded(const char *name)
{
	const struct embedded_file	*e;

	for (e = embedded_templates; e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static int
in_list(const char *list, const char *word)
{
	char	 key[64];

	snprintf(key, sizeof(key), " %s ", word);
	return strstr(list, key) != NULL;
}

/* Reads dir/name when it exists; NULL with *missing set otherwise. */
static char *
read_template(const char *dir, const char *name, size_t *len, int *missing)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*path, tmp[8192];
	ssize_t		 r;
	int		 fd;

	*missing = 0;
	path = xasprintf("%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0) {
		*missing = errno == ENOENT;
		return NULL;
	}
	while ((r = read(fd, tmp, sizeof(tmp))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			buf_free(&b);
			close(fd);
			return NULL;
		}
		buf_put(&b, tmp, (size_t)r);
	}
	close(fd);
	*len = b.len;
	return b.p != NULL ? b.p : xstrdup("");
}

static void
quiet_errors(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* The first error libxml2 finds is the one to show: later ones follow
 * from it ("premature end of data" after an unclosed tag). */
struct first_error {
	int		 line;
	char		*text;
};

static void
keep_first_error(void *ctx, xmlErrorPtr e)
{
	struct first_error	*f = ctx;
	size_t			 n;

	if (f->text != NULL || e == NULL || e->level < XML_ERR_ERROR)
		return;
	f->line = e->line;
	f->text = xstrdup(e->message != NULL ? e->message : "cannot parse");
	n = strlen(f->text);
	while (n > 0 && (f->text[n - 1] == '\n' || f->text[n - 1] == ' '))
		f->text[--n] = '\0';
}

struct check {
	const char	*name;
	enum tpl_kind	 kind;
	int		 count[10];
	int		 ok;
	struct buf	 ids;		/* NUL-separated ids */
	unsigned	 body_line;
};

static const char *const slot_names[] = {
	"title", "subtitle", "byline", "body", "creators", "publisher",
	"cover", "colophon", "toc", "landmarks", NULL
};

static int
slot_index(const char *slot)
{
	int	 i;

	for (i = 0; slot_names[i] != NULL; i++)
		if (strcmp(slot_names[i], slot) == 0)
			return i;
	return -1;
}

static void
check_tree(struct check *c, xmlNodePtr n)
{
	xmlAttrPtr	 a;
	xmlChar		*v;
	const char	*slot;
	int		 i;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_ENTITY_REF_NODE) {
			msg(LEVEL_ERROR, c->name, (unsigned)xmlGetLineNo(n), 0,
			    "entity &%s; is not allowed: write the character "
			    "itself", n->name);
			c->ok = 0;
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(n->name, BAD_CAST "body"))
			c->body_line = (unsigned)xmlGetLineNo(n);
		if (n->ns != NULL && xmlStrEqual(n->ns->href,
		    BAD_CAST TEMPLATE_NS)) {
			slot = (const char *)n->name;
			if (!in_list(allowed[c->kind], slot)) {
				msg(LEVEL_ERROR, c->name,
				    (unsigned)xmlGetLineNo(n), 0, "unknown slot "
				    "<mkc:%s/>; %s takes%.*s", slot,
				    files[c->kind],
				    (int)strlen(allowed[c->kind]) - 1,
				    allowed[c->kind]);
				c->ok = 0;
				continue;
			}
			if (n->children != NULL) {
				msg(LEVEL_ERROR, c->name,
				    (unsigned)xmlGetLineNo(n), 0, "slot "
				    "<mkc:%s/> must be empty", slot);
				c->ok = 0;
			}
			i = slot_index(slot);
			if (i >= 0 && c->count[i]++ > 0 &&
			    strcmp(slot, "title") != 0) {
				msg(LEVEL_ERROR, c->name,
				    (unsigned)xmlGetLineNo(n), 0, "slot "
				    "<mkc:%s/> appears more than once", slot);
				c->ok = 0;
			}
			continue;
		}
		for (a = n->properties; a != NULL; a = a->next)
			if (xmlStrEqual(a->name, BAD_CAST "id") &&
			    (v = xmlNodeGetContent((xmlNodePtr)a)) != NULL) {
				buf_puts(&c->ids, (const char *)v);
				buf_putc(&c->ids, '\0');
				xmlFree(v);
			}
		check_tree(c, n->children);
	}
}

/* Parses and checks one template; prints problems with their line. */
static xmlDocPtr
load_one(enum tpl_kind kind, const char *name, const char *data, size_t len,
    char ***ids)
{
	xmlParserCtxtPtr ctxt;
	struct first_error fe = { 0, NULL };
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	struct check	 c;
	char		 word[32];
	const char	*p, *q;
	size_t		 i, n;

	if ((ctxt = xmlNewParserCtxt()) == NULL)
		oom_xml();
	xmlSetStructuredErrorFunc(&fe, keep_first_error);
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NODICT);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(ctxt);
	if (doc == NULL || fe.text != NULL) {
		msg(LEVEL_ERROR, name, fe.line > 0 ? (unsigned)fe.line : 0, 0,
		    "malformed XHTML: %s", fe.text != NULL ? fe.text :
		    "cannot parse");
		free(fe.text);
		if (doc != NULL)
			xmlFreeDoc(doc);
		return NULL;
	}

	memset(&c, 0, sizeof(c));
	c.name = name;
	c.kind = kind;
	c.ok = 1;
	if (doc->intSubset != NULL && (doc->intSubset->children != NULL ||
	    doc->intSubset->ExternalID != NULL ||
	    doc->intSubset->SystemID != NULL)) {
		msg(LEVEL_ERROR, name, 0, 0, "the DOCTYPE must be "
		    "<!DOCTYPE html>, with no declarations");
		c.ok = 0;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "html") ||
	    root->ns == NULL || !xmlStrEqual(root->ns->href,
	    BAD_CAST "http://www.w3.org/1999/xhtml")) {
		msg(LEVEL_ERROR, name, root ? (unsigned)xmlGetLineNo(root) : 0,
		    0, "the root element must be <html> in the XHTML "
		    "namespace");
		c.ok = 0;
	} else
		check_tree(&c, root);
	for (p = required[kind]; (p = strchr(p, ' ')) != NULL && p[1]; ) {
		q = strchr(p + 1, ' ');
		n = (size_t)(q - p - 1);
		memcpy(word, p + 1, n);
		word[n] = '\0';
		p = q;
		if (c.count[slot_index(word)] == 0 && c.ok) {
			msg(LEVEL_ERROR, name, c.body_line, 0, "missing slot "
			    "<mkc:%s/>: mkcitybook has nowhere to put the %s",
			    word, strcmp(word, "title") == 0 ? "title" :
			    strcmp(word, "body") == 0 ? "text" : word);
			c.ok = 0;
		}
	}
	if (ids != NULL) {
		n = 0;
		for (i = 0; i < c.ids.len; i++)
			n += c.ids.p[i] == '\0';
		*ids = xcalloc(n + 1, sizeof(char *));
		for (i = 0, p = c.ids.p; i < n; i++, p += strlen(p) + 1)
			(*ids)[i] = xstrdup(p);
	}
	buf_free(&c.ids);
	if (!c.ok) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* CSS that makes Adobe-engine readers drop the whole stylesheet. */
static void
check_css(const char *name, const char *css, size_t len)
{
	static const char *const risky[] = {
		"var(", "calc(", "min(", "max(", "clamp(", NULL
	};
	const char	*p;
	unsigned	 line;
	size_t		 i, k, n;

	for (i = 0, line = 1; i < len; i++) {
		if (css[i] == '\n')
			line++;
		/* Comments may name anything. */
		if (css[i] == '/' && i + 1 < len && css[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(css[i] == '*' &&
			    css[i + 1] == '/'); i++)
				if (css[i] == '\n')
					line++;
			i++;
			continue;
		}
		p = css + i;
		for (k = 0; risky[k] != NULL; k++) {
			n = strlen(risky[k]);
			if (len - i >= n && memcmp(p, risky[k], n) == 0 &&
			    (i == 0 || !((p[-1] >= 'a' && p[-1] <= 'z') ||
			    p[-1] == '-')))
				msg(LEVEL_WARNING, name, line, 0, "%.*s) makes "
				    "Adobe-engine readers (Kobo, Nook, Adobe "
				    "Digital Editions) drop the whole "
				    "stylesheet", (int)n, risky[k]);
		}
	}
}

int
templates_load(struct templates *t, const char *dir)
{
	const struct embedded_file	*e;
	char				*data;
	size_t				 len;
	int				 i, ok, missing;

	memset(t, 0, sizeof(*t));
	xmlSetGenericErrorFunc(NULL, quiet_errors);
	ok = 1;
	for (i = 0; i <= TPL_NKINDS; i++) {
		const char *file = i < TPL_NKINDS ? files[i] : "book.css";

		data = NULL;
		missing = 1;
		if (dir != NULL) {
			data = read_template(dir, file, &len, &missing);
			if (data == NULL && !missing) {
				msg(LEVEL_ERROR, NULL, 0, 0, "%s/%s: cannot "
				    "read: %s", dir, file, strerror(errno));
				ok = 0;
				continue;
			}
		}
		if (data != NULL && i < TPL_NKINDS)
			t->name[i] = xasprintf("%s/%s", dir, file);
		else if (data != NULL)
			t->cssname = xasprintf("%s/%s", dir, file);
		else {
			e = embedded(file);
			data = xstrndup((const char *)e->data, e->len);
			len = e->len;
			if (i < TPL_NKINDS)
				t->name[i] = xasprintf("(built-in) %s", file);
			else
				t->cssname = xasprintf("(built-in) %s", file);
		}
		if (i == TPL_NKINDS) {
			check_css(t->cssname, data, len);
			t->css = data;
			t->csslen = len;
			continue;
		}
		t->doc[i] = load_one((enum tpl_kind)i, t->name[i], data, len,
		    i == TPL_CHAPTER ? &t->chapter_ids : NULL);
		if (t->doc[i] == NULL)
			ok = 0;
		free(data);
	}
	if (!ok) {
		templates_free(t);
		return -1;
	}
	return 0;
}

void
templates_free(struct templates *t)
{
	char	**p;
	int	  i;

	for (i = 0; i < TPL_NKINDS; i++) {
		if (t->doc[i] != NULL)
			xmlFreeDoc(t->doc[i]);
		free(t->name[i]);
	}
	if (t->chapter_ids != NULL) {
		for (p = t->chapter_ids; *p != NULL; p++)
			free(*p);
		free(t->chapter_ids);
	}
	free(t->css);
	free(t->cssname);
	memset(t, 0, sizeof(*t));
}

/*
 * Writes the built-in templates into dir, to restyle.  Never overwrites
 * a file: a user's own templates are worth more than the defaults.
 */
int
templates_export(const char *dir)
{
	const struct embedded_file	*e;
	char				*path;
	ssize_t				 w;
	size_t				 off;
	int				 fd, ok;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		msg(LEVEL_ERROR, dir, 0, 0, "cannot create the folder: %s",
		    strerror(errno));
		return -1;
	}
	ok = 1;
	for (e = embedded_templates; e->name != NULL; e++) {
		path = xasprintf("%s/%s", dir, e->name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			msg(LEVEL_ERROR, path, 0, 0, errno == EEXIST ?
			    "already exists; not overwritten" :
			    "cannot create: %s", strerror(errno));
			free(path);
			ok = 0;
			continue;
		}
		for (off = 0; off < e->len; off += (size_t)w)
			if ((w = write(fd, e->data + off, e->len - off)) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				break;
			}
		if (off < e->len || close(fd) < 0) {
			msg(LEVEL_ERROR, path, 0, 0, "cannot write: %s",
			    strerror(errno));
			unlink(path);
			ok = 0;
		} else
			msg_info("wrote %s", path);
		free(path);
	}
	return ok ? 0 : -1;
}
