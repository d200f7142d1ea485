/* oh-ari-client-private.h: the one REST call the typed operations share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "oh-ari-client.h"

G_BEGIN_DECLS

typedef enum {
  OH_ARI_RESULT_BYTES,    /* the body, as GBytes */
  OH_ARI_RESULT_NONE,     /* just success: a boolean */
  OH_ARI_RESULT_DECODED,  /* decode (body) */
} OhAriResultKind;

typedef gpointer (*OhAriDecodeFunc) (const char *data,
                                     gsize       length,
                                     GError    **error);

void     oh_ari_client_call                (OhAriClient         *self,
                                            const char          *method,
                                            const char          *path,
                                            const char * const  *query,
                                            const char          *json_body,
                                            OhAriResultKind      kind,
                                            OhAriDecodeFunc      decode,
                                            GDestroyNotify       result_free,
                                            gpointer             source_tag,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean oh_ari_client_call_finish_boolean (OhAriClient   *self,
                                            GAsyncResult  *result,
                                            gpointer       source_tag,
                                            GError       **error);
gpointer oh_ari_client_call_finish_pointer (OhAriClient   *self,
                                            GAsyncResult  *result,
                                            gpointer       source_tag,
                                            GError       **error);

G_END_DECLS
