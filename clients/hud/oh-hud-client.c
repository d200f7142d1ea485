/* oh-hud-client.c: the HUD's view of the daemon, shared by its windows
 *
 * One GDBusObjectManagerClient for everything below the root (users,
 * sessions, calls), kept in sorted GListStores that every window binds,
 * and one proxy per interface of the root object (read with GetAll, as
 * GetManagedObjects lists only the objects below it). The daemon is the
 * only truth: nothing here is cached beyond what the proxies hold, so two
 * windows, or two HUD processes, show the same.
 *
 * The "tick" signal fires once a second while a call or a session exists,
 * for the timers that count from AnswerTime on the local clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <stdlib.h>
#include <string.h>

#include "oh-hud-client.h"
#include "oh-hud-format.h"

struct _OhHudClient
{
  GObject             parent_instance;

  GCancellable       *cancellable;
  GDBusConnection    *bus;
  GDBusObjectManager *manager;
  OhDBusAccount      *account;
  OhDBusPhone        *phone;
  OhDBusHistory      *history;
  OhDBusChat         *chat;

  GListStore         *users;     /* OhDBusUser, by extension */
  GListStore         *calls;     /* OhDBusCall, by number */
  GListStore         *sessions;  /* OhDBusSession, by start time */

  guint               pending;
  gboolean            ready;
  char               *error;
  guint               tick_id;
};

enum {
  PROP_0,
  PROP_READY,
  PROP_DAEMON_RUNNING,
  N_PROPS
};

enum {
  SIGNAL_TICK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (OhHudClient, oh_hud_client, G_TYPE_OBJECT)

/* --- order ----------------------------------------------------------- */

static gboolean
all_digits (const char *s)
{
  return s && *s && strspn (s, "0123456789") == strlen (s);
}

static int
compare_users (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const char *ea = oh_dbus_user_get_extension ((OhDBusUser *) a);
  const char *eb = oh_dbus_user_get_extension ((OhDBusUser *) b);
  const char *na = oh_dbus_user_get_full_name ((OhDBusUser *) a);
  const char *nb = oh_dbus_user_get_full_name ((OhDBusUser *) b);
  int by_extension;

  /* Extensions as numbers when both are: 99 before 100. */
  if (all_digits (ea) && all_digits (eb) && strlen (ea) != strlen (eb))
    return strlen (ea) < strlen (eb) ? -1 : 1;
  by_extension = g_strcmp0 (ea, eb);
  if (by_extension != 0)
    return by_extension;
  return g_utf8_collate (na ? na : "", nb ? nb : "");
}

static guint64
path_number (GDBusProxy *proxy)
{
  const char *path = g_dbus_proxy_get_object_path (proxy);
  const char *slash = strrchr (path, '/');

  return slash ? g_ascii_strtoull (slash + 1, NULL, 10) : 0;
}

static int
compare_calls (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  guint64 na = path_number (G_DBUS_PROXY (a));
  guint64 nb = path_number (G_DBUS_PROXY (b));

  return na < nb ? -1 : na > nb;
}

static int
compare_sessions (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  gint64 ta = oh_dbus_session_get_start_time ((OhDBusSession *) a);
  gint64 tb = oh_dbus_session_get_start_time ((OhDBusSession *) b);

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return g_strcmp0 (g_dbus_proxy_get_object_path (G_DBUS_PROXY (a)),
                    g_dbus_proxy_get_object_path (G_DBUS_PROXY (b)));
}

/* Keeps @item at its sorted place after a property it is sorted by changed. */
static void
resort (GListStore       *store,
        gpointer          item,
        GCompareDataFunc  compare)
{
  GListModel *model = G_LIST_MODEL (store);
  g_autoptr(GObject) keep = g_object_ref (item);
  g_autoptr(GObject) before = NULL;
  g_autoptr(GObject) after = NULL;
  guint position;

  if (!g_list_store_find (store, item, &position))
    return;
  if (position > 0)
    before = g_list_model_get_item (model, position - 1);
  after = g_list_model_get_item (model, position + 1);
  if ((before == NULL || compare (before, item, NULL) <= 0) &&
      (after == NULL || compare (item, after, NULL) <= 0))
    return;
  g_list_store_remove (store, position);
  g_list_store_insert_sorted (store, item, compare, NULL);
}

static void
on_user_sort_key (OhDBusUser  *user,
                  GParamSpec  *pspec,
                  OhHudClient *self)
{
  resort (self->users, user, compare_users);
}

static void
on_session_sort_key (OhDBusSession *session,
                     GParamSpec    *pspec,
                     OhHudClient   *self)
{
  resort (self->sessions, session, compare_sessions);
}

/* --- the clock for timers -------------------------------------------- */

static gboolean
on_tick (gpointer data)
{
  OhHudClient *self = data;

  g_signal_emit (self, signals[SIGNAL_TICK], 0);
  return G_SOURCE_CONTINUE;
}

static void
update_ticking (OhHudClient *self)
{
  gboolean needed = g_list_model_get_n_items (G_LIST_MODEL (self->calls)) > 0 ||
                    g_list_model_get_n_items (G_LIST_MODEL (self->sessions)) > 0;

  if (needed && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!needed && self->tick_id != 0)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* --- objects below the root ------------------------------------------ */

static void
store_remove (GListStore *store,
              gpointer    item)
{
  guint position;

  if (item && g_list_store_find (store, item, &position))
    g_list_store_remove (store, position);
}

static void
add_object (OhHudClient *self,
            GDBusObject *object)
{
  OhDBusObject *o = OH_DBUS_OBJECT (object);
  OhDBusUser *user = oh_dbus_object_peek_user (o);
  OhDBusCall *call = oh_dbus_object_peek_call (o);
  OhDBusSession *session = oh_dbus_object_peek_session (o);
  guint position;

  if (user && !g_list_store_find (self->users, user, &position))
    {
      g_signal_connect_object (user, "notify::extension", G_CALLBACK (on_user_sort_key), self, 0);
      g_signal_connect_object (user, "notify::full-name", G_CALLBACK (on_user_sort_key), self, 0);
      g_list_store_insert_sorted (self->users, user, compare_users, NULL);
    }
  if (call && !g_list_store_find (self->calls, call, &position))
    g_list_store_insert_sorted (self->calls, call, compare_calls, NULL);
  if (session && !g_list_store_find (self->sessions, session, &position))
    {
      g_signal_connect_object (session, "notify::start-time", G_CALLBACK (on_session_sort_key),
                               self, 0);
      g_list_store_insert_sorted (self->sessions, session, compare_sessions, NULL);
    }
  update_ticking (self);
}

static void
remove_object (OhHudClient *self,
               GDBusObject *object)
{
  OhDBusObject *o = OH_DBUS_OBJECT (object);
  OhDBusUser *user = oh_dbus_object_peek_user (o);

  if (user)
    g_signal_handlers_disconnect_by_data (user, self);
  store_remove (self->users, user);
  store_remove (self->calls, oh_dbus_object_peek_call (o));
  store_remove (self->sessions, oh_dbus_object_peek_session (o));
  update_ticking (self);
}

static void
remove_interface (OhHudClient    *self,
                  GDBusInterface *interface)
{
  if (OH_DBUS_IS_USER (interface))
    {
      g_signal_handlers_disconnect_by_data (interface, self);
      store_remove (self->users, interface);
    }
  else if (OH_DBUS_IS_CALL (interface))
    store_remove (self->calls, interface);
  else if (OH_DBUS_IS_SESSION (interface))
    {
      g_signal_handlers_disconnect_by_data (interface, self);
      store_remove (self->sessions, interface);
    }
  update_ticking (self);
}

static void
on_object_added (GDBusObjectManager *manager,
                 GDBusObject        *object,
                 OhHudClient        *self)
{
  add_object (self, object);
}

static void
on_object_removed (GDBusObjectManager *manager,
                   GDBusObject        *object,
                   OhHudClient        *self)
{
  remove_object (self, object);
}

static void
on_interface_added (GDBusObjectManager *manager,
                    GDBusObject        *object,
                    GDBusInterface     *interface,
                    OhHudClient        *self)
{
  add_object (self, object);
}

static void
on_interface_removed (GDBusObjectManager *manager,
                      GDBusObject        *object,
                      GDBusInterface     *interface,
                      OhHudClient        *self)
{
  remove_interface (self, interface);
}

static void
on_name_owner (GObject     *manager,
               GParamSpec  *pspec,
               OhHudClient *self)
{
  g_autofree char *owner =
    g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (manager));

  g_debug ("The Offhook daemon is %s", owner ? owner : "not running");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAEMON_RUNNING]);
}

/* --- start-up -------------------------------------------------------- */

static void
step_done (OhHudClient  *self,
           const GError *error)
{
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_warning ("Cannot reach the Offhook daemon: %s", error->message);
      if (self->error == NULL)
        self->error = g_strdup (error->message);
    }
  g_assert (self->pending > 0);
  if (--self->pending == 0 && self->error == NULL)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAEMON_RUNNING]);
    }
  else if (self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
on_manager (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(OhHudClient) self = data;
  g_autoptr(GError) error = NULL;
  g_autolist(GDBusObject) objects = NULL;

  self->manager = oh_dbus_object_manager_client_new_finish (result, &error);
  if (self->manager)
    {
      g_signal_connect_object (self->manager, "object-added", G_CALLBACK (on_object_added), self, 0);
      g_signal_connect_object (self->manager, "object-removed", G_CALLBACK (on_object_removed),
                               self, 0);
      g_signal_connect_object (self->manager, "interface-added", G_CALLBACK (on_interface_added),
                               self, 0);
      g_signal_connect_object (self->manager, "interface-removed",
                               G_CALLBACK (on_interface_removed), self, 0);
      g_signal_connect_object (self->manager, "notify::name-owner", G_CALLBACK (on_name_owner),
                               self, 0);
      objects = g_dbus_object_manager_get_objects (self->manager);
      for (GList *l = objects; l; l = l->next)
        add_object (self, l->data);
    }
  step_done (self, error);
}

#define ROOT_PROXY_DONE(name)                                          \
  static void on_##name (GObject *source, GAsyncResult *result, gpointer data) \
  {                                                                          \
    g_autoptr(OhHudClient) self = data;                                      \
    g_autoptr(GError) error = NULL;                                          \
    self->name = oh_dbus_##name##_proxy_new_finish (result, &error);         \
    step_done (self, error);                                                 \
  }

ROOT_PROXY_DONE (account)
ROOT_PROXY_DONE (phone)
ROOT_PROXY_DONE (history)
ROOT_PROXY_DONE (chat)

static void
on_bus (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  g_autoptr(OhHudClient) self = data;
  g_autoptr(GError) error = NULL;

  self->bus = g_bus_get_finish (result, &error);
  if (self->bus == NULL)
    {
      step_done (self, error);
      return;
    }
  /* The first client starts the daemon (D-Bus activation). */
  self->pending += 5;
  oh_dbus_object_manager_client_new (self->bus, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                     OH_BUS_NAME, OH_OBJECT_PATH, self->cancellable,
                                     on_manager, g_object_ref (self));
  oh_dbus_account_proxy_new (self->bus, G_DBUS_PROXY_FLAGS_NONE, OH_BUS_NAME, OH_OBJECT_PATH,
                             self->cancellable, on_account, g_object_ref (self));
  oh_dbus_phone_proxy_new (self->bus, G_DBUS_PROXY_FLAGS_NONE, OH_BUS_NAME, OH_OBJECT_PATH,
                           self->cancellable, on_phone, g_object_ref (self));
  oh_dbus_history_proxy_new (self->bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, OH_BUS_NAME,
                             OH_OBJECT_PATH, self->cancellable, on_history, g_object_ref (self));
  oh_dbus_chat_proxy_new (self->bus, G_DBUS_PROXY_FLAGS_NONE, OH_BUS_NAME, OH_OBJECT_PATH,
                          self->cancellable, on_chat, g_object_ref (self));
  step_done (self, NULL);
}

/* --- GObject --------------------------------------------------------- */

static void
oh_hud_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OhHudClient *self = OH_HUD_CLIENT (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_DAEMON_RUNNING:
      g_value_set_boolean (value, oh_hud_client_get_daemon_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_hud_client_dispose (GObject *object)
{
  OhHudClient *self = OH_HUD_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->manager)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->manager);
  g_clear_object (&self->account);
  g_clear_object (&self->phone);
  g_clear_object (&self->history);
  g_clear_object (&self->chat);
  if (self->users)
    g_list_store_remove_all (self->users);
  if (self->calls)
    g_list_store_remove_all (self->calls);
  if (self->sessions)
    g_list_store_remove_all (self->sessions);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (oh_hud_client_parent_class)->dispose (object);
}

static void
oh_hud_client_finalize (GObject *object)
{
  OhHudClient *self = OH_HUD_CLIENT (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->users);
  g_clear_object (&self->calls);
  g_clear_object (&self->sessions);
  g_free (self->error);

  G_OBJECT_CLASS (oh_hud_client_parent_class)->finalize (object);
}

static void
oh_hud_client_class_init (OhHudClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = oh_hud_client_get_property;
  object_class->dispose = oh_hud_client_dispose;
  object_class->finalize = oh_hud_client_finalize;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DAEMON_RUNNING] =
    g_param_spec_boolean ("daemon-running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OhHudClient::tick:
   *
   * Once a second while there are calls or sessions, for local timers.
   */
  signals[SIGNAL_TICK] = g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
oh_hud_client_init (OhHudClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->users = g_list_store_new (OH_DBUS_TYPE_USER);
  self->calls = g_list_store_new (OH_DBUS_TYPE_CALL);
  self->sessions = g_list_store_new (OH_DBUS_TYPE_SESSION);
}

/**
 * oh_hud_client_new:
 *
 * Connects to the session bus and to the daemon (starting it if needed),
 * in the background; #OhHudClient:ready turns %TRUE when done.
 *
 * Returns: (transfer full): the client
 */
OhHudClient *
oh_hud_client_new (void)
{
  OhHudClient *self = g_object_new (OH_TYPE_HUD_CLIENT, NULL);

  self->pending = 1;
  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus, g_object_ref (self));
  return self;
}

gboolean
oh_hud_client_get_ready (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), FALSE);
  return self->ready;
}

/**
 * oh_hud_client_get_daemon_running:
 *
 * Returns: whether the daemon owns its bus name
 */
gboolean
oh_hud_client_get_daemon_running (OhHudClient *self)
{
  g_autofree char *owner = NULL;

  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), FALSE);
  if (self->manager == NULL)
    return FALSE;
  owner = g_dbus_object_manager_client_get_name_owner (
    G_DBUS_OBJECT_MANAGER_CLIENT (self->manager));
  return owner != NULL;
}

/**
 * oh_hud_client_get_error:
 *
 * Returns: (nullable): why the daemon could not be reached at start-up
 */
const char *
oh_hud_client_get_error (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return self->error;
}

OhDBusAccount *
oh_hud_client_get_account (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return self->account;
}

OhDBusPhone *
oh_hud_client_get_phone (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return self->phone;
}

OhDBusHistory *
oh_hud_client_get_history (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return self->history;
}

OhDBusChat *
oh_hud_client_get_chat (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return self->chat;
}

/**
 * oh_hud_client_get_users:
 *
 * Returns: (transfer none): the users (#OhDBusUser), by extension
 */
GListModel *
oh_hud_client_get_users (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return G_LIST_MODEL (self->users);
}

/**
 * oh_hud_client_get_calls:
 *
 * Returns: (transfer none): the user's calls (#OhDBusCall), oldest first
 */
GListModel *
oh_hud_client_get_calls (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return G_LIST_MODEL (self->calls);
}

/**
 * oh_hud_client_get_sessions:
 *
 * Returns: (transfer none): every call on the PBX (#OhDBusSession), oldest first
 */
GListModel *
oh_hud_client_get_sessions (OhHudClient *self)
{
  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  return G_LIST_MODEL (self->sessions);
}

static GDBusInterface *
lookup (OhHudClient *self,
        const char  *path,
        const char  *interface)
{
  if (self->manager == NULL || path == NULL || !g_variant_is_object_path (path))
    return NULL;
  return g_dbus_object_manager_get_interface (self->manager, path, interface);
}

/**
 * oh_hud_client_lookup_user:
 * @path: an object path
 *
 * Returns: (transfer none) (nullable): the user at @path
 */
OhDBusUser *
oh_hud_client_lookup_user (OhHudClient *self,
                           const char  *path)
{
  g_autoptr(GDBusInterface) user = lookup (self, path, "org.offhook.Offhook1.User");

  /* The manager holds it as long as it is on the bus. */
  return (OhDBusUser *) user;
}

/**
 * oh_hud_client_find_user:
 * @extension_or_name: an extension, user name or full name
 *
 * Returns: (transfer none) (nullable): the one user it names
 */
OhDBusUser *
oh_hud_client_find_user (OhHudClient *self,
                         const char  *extension_or_name)
{
  GListModel *users = G_LIST_MODEL (self->users);
  OhDBusUser *by_name = NULL;
  guint named = 0;

  if (extension_or_name == NULL || *extension_or_name == '\0')
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(OhDBusUser) user = g_list_model_get_item (users, i);

      if (g_strcmp0 (oh_dbus_user_get_extension (user), extension_or_name) == 0 ||
          g_strcmp0 (oh_dbus_user_get_username (user), extension_or_name) == 0)
        return user;
      if (g_utf8_collate (oh_dbus_user_get_full_name (user) ? oh_dbus_user_get_full_name (user) : "",
                          extension_or_name) == 0)
        {
          by_name = user;
          named++;
        }
    }
  return named == 1 ? by_name : NULL;
}

/**
 * oh_hud_client_lookup_call:
 * @path: an object path
 *
 * Returns: (transfer none) (nullable): the user's call at @path
 */
OhDBusCall *
oh_hud_client_lookup_call (OhHudClient *self,
                           const char  *path)
{
  g_autoptr(GDBusInterface) call = lookup (self, path, "org.offhook.Offhook1.Call");

  return (OhDBusCall *) call;
}

/**
 * oh_hud_client_lookup_session:
 * @path: an object path
 *
 * Returns: (transfer none) (nullable): the session at @path
 */
OhDBusSession *
oh_hud_client_lookup_session (OhHudClient *self,
                              const char  *path)
{
  g_autoptr(GDBusInterface) session = lookup (self, path, "org.offhook.Offhook1.Session");

  return (OhDBusSession *) session;
}

/**
 * oh_hud_client_get_own_extension:
 *
 * Returns: (nullable): Account.Extension, or %NULL
 */
const char *
oh_hud_client_get_own_extension (OhHudClient *self)
{
  const char *extension;

  g_return_val_if_fail (OH_IS_HUD_CLIENT (self), NULL);
  if (self->account == NULL)
    return NULL;
  extension = oh_dbus_account_get_extension (self->account);
  return extension && *extension ? extension : NULL;
}
