/* oh-directory.h: the company directory (mobile numbers and e-mail)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *extension;   /* may be NULL: then matched by name */
  char *name;
  char *mobile;
  char *email;
} OhDirectoryEntry;

typedef struct _OhDirectory OhDirectory;

/* Parses vCard (3 or 4) or CSV text, told apart by content. */
OhDirectory            *oh_directory_parse       (const char  *data,
                                                  gsize        length,
                                                  GError     **error);
void                    oh_directory_free        (OhDirectory *directory);
guint                   oh_directory_get_size    (OhDirectory *directory);
/* Finds the entry for a user: by extension, else by exact (case-folded) name. */
const OhDirectoryEntry *oh_directory_lookup      (OhDirectory *directory,
                                                  const char  *extension,
                                                  const char  *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhDirectory, oh_directory_free)

G_END_DECLS
