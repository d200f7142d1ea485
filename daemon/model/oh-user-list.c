/* oh-user-list.c: every user of the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-model"

#include "oh-user-list.h"

struct _OhUserList
{
  GObject parent_instance;

  GHashTable *users;   /* id → OhUser */
};

G_DEFINE_FINAL_TYPE (OhUserList, oh_user_list, G_TYPE_OBJECT)

enum {
  USER_ADDED,
  USER_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
oh_user_list_finalize (GObject *object)
{
  OhUserList *self = OH_USER_LIST (object);

  g_hash_table_unref (self->users);

  G_OBJECT_CLASS (oh_user_list_parent_class)->finalize (object);
}

static void
oh_user_list_class_init (OhUserListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oh_user_list_finalize;

  /**
   * OhUserList::user-added:
   * @user: the new user
   */
  signals[USER_ADDED] =
    g_signal_new ("user-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, OH_TYPE_USER);
  /**
   * OhUserList::user-removed:
   * @user: the user that is gone
   */
  signals[USER_REMOVED] =
    g_signal_new ("user-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, OH_TYPE_USER);
}

static void
oh_user_list_init (OhUserList *self)
{
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
}

OhUserList *
oh_user_list_new (void)
{
  return g_object_new (OH_TYPE_USER_LIST, NULL);
}

guint
oh_user_list_get_n_users (OhUserList *self)
{
  g_return_val_if_fail (OH_IS_USER_LIST (self), 0);
  return g_hash_table_size (self->users);
}

/**
 * oh_user_list_lookup:
 *
 * Returns: (transfer none) (nullable): the user with that id.
 */
OhUser *
oh_user_list_lookup (OhUserList *self,
                     const char *id)
{
  g_return_val_if_fail (OH_IS_USER_LIST (self), NULL);
  return id ? g_hash_table_lookup (self->users, id) : NULL;
}

/**
 * oh_user_list_lookup_extension:
 *
 * Returns: (transfer none) (nullable): the user whose extension that is.
 */
OhUser *
oh_user_list_lookup_extension (OhUserList *self,
                               const char *extension)
{
  GHashTableIter iter;
  OhUser *user;

  g_return_val_if_fail (OH_IS_USER_LIST (self), NULL);
  if (extension == NULL || *extension == '\0')
    return NULL;

  /* The id is the extension for nearly every PBX; try that first. */
  user = g_hash_table_lookup (self->users, extension);
  if (user && g_str_equal (oh_user_get_extension (user), extension))
    return user;

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &user))
    if (g_str_equal (oh_user_get_extension (user), extension))
      return user;
  return NULL;
}

/**
 * oh_user_list_lookup_name:
 * @name: a full name, compared without regard to case
 *
 * Returns: (transfer none) (nullable): the only user of that name; %NULL
 * when none or several have it.
 */
OhUser *
oh_user_list_lookup_name (OhUserList *self,
                          const char *name)
{
  g_autofree char *wanted = NULL;
  GHashTableIter iter;
  OhUser *user, *found = NULL;

  g_return_val_if_fail (OH_IS_USER_LIST (self), NULL);
  if (name == NULL || *name == '\0')
    return NULL;

  wanted = g_utf8_casefold (name, -1);
  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &user))
    {
      g_autofree char *candidate = g_utf8_casefold (oh_user_get_full_name (user), -1);

      if (!g_str_equal (candidate, wanted))
        continue;
      if (found)
        return NULL;
      found = user;
    }
  return found;
}

void
oh_user_list_add (OhUserList *self,
                  OhUser     *user)
{
  g_return_if_fail (OH_IS_USER_LIST (self));
  g_return_if_fail (OH_IS_USER (user));
  g_return_if_fail (!g_hash_table_contains (self->users, oh_user_get_id (user)));

  g_hash_table_insert (self->users, (gpointer) oh_user_get_id (user), g_object_ref (user));
  g_signal_emit (self, signals[USER_ADDED], 0, user);
}

gboolean
oh_user_list_remove (OhUserList *self,
                     const char *id)
{
  g_autoptr(OhUser) user = NULL;

  g_return_val_if_fail (OH_IS_USER_LIST (self), FALSE);

  user = g_hash_table_lookup (self->users, id);
  if (user == NULL)
    return FALSE;
  g_object_ref (user);
  g_hash_table_remove (self->users, id);
  g_signal_emit (self, signals[USER_REMOVED], 0, user);
  return TRUE;
}

void
oh_user_list_remove_all (OhUserList *self)
{
  g_autoptr(GPtrArray) users = oh_user_list_dup_users (self);

  for (guint i = 0; i < users->len; i++)
    oh_user_list_remove (self, oh_user_get_id (g_ptr_array_index (users, i)));
}

GPtrArray *
oh_user_list_dup_users (OhUserList *self)
{
  GPtrArray *users = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  OhUser *user;

  g_return_val_if_fail (OH_IS_USER_LIST (self), users);

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &user))
    g_ptr_array_add (users, g_object_ref (user));
  return users;
}
