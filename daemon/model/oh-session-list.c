/* oh-session-list.c: every live call on the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-model"

#include "oh-session-list.h"

struct _OhSessionList
{
  GObject parent_instance;

  GHashTable *sessions;   /* id → OhSession */
};

G_DEFINE_FINAL_TYPE (OhSessionList, oh_session_list, G_TYPE_OBJECT)

enum {
  SESSION_ADDED,
  SESSION_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
oh_session_list_finalize (GObject *object)
{
  g_hash_table_unref (OH_SESSION_LIST (object)->sessions);
  G_OBJECT_CLASS (oh_session_list_parent_class)->finalize (object);
}

static void
oh_session_list_class_init (OhSessionListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oh_session_list_finalize;

  signals[SESSION_ADDED] =
    g_signal_new ("session-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, OH_TYPE_SESSION);
  signals[SESSION_REMOVED] =
    g_signal_new ("session-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, OH_TYPE_SESSION);
}

static void
oh_session_list_init (OhSessionList *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
}

OhSessionList *
oh_session_list_new (void)
{
  return g_object_new (OH_TYPE_SESSION_LIST, NULL);
}

guint
oh_session_list_get_size (OhSessionList *self)
{
  return g_hash_table_size (self->sessions);
}

OhSession *
oh_session_list_lookup (OhSessionList *self,
                        const char    *id)
{
  return id ? g_hash_table_lookup (self->sessions, id) : NULL;
}

void
oh_session_list_add (OhSessionList *self,
                     OhSession     *session)
{
  g_return_if_fail (!g_hash_table_contains (self->sessions, oh_session_get_id (session)));

  g_hash_table_insert (self->sessions, (gpointer) oh_session_get_id (session),
                       g_object_ref (session));
  g_signal_emit (self, signals[SESSION_ADDED], 0, session);
}

gboolean
oh_session_list_remove (OhSessionList *self,
                        const char    *id)
{
  OhSession *session = g_hash_table_lookup (self->sessions, id);

  if (session == NULL)
    return FALSE;
  g_object_ref (session);
  g_hash_table_remove (self->sessions, id);
  g_signal_emit (self, signals[SESSION_REMOVED], 0, session);
  g_object_unref (session);
  return TRUE;
}

GPtrArray *
oh_session_list_dup_all (OhSessionList *self)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  OhSession *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    g_ptr_array_add (all, g_object_ref (session));
  return all;
}
