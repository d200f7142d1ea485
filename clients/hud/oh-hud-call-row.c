/* oh-hud-call-row.c: one of the user's calls, with its controls
 *
 * The buttons are the application's actions with the call's path as
 * target (app.accept-call, app.hold-call, ...), the same ones a script
 * activates over org.gtk.Actions. Which buttons show follows Call.State;
 * the timer counts from AnswerTime on the local clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-call-row.h"
#include "oh-hud-format.h"
#include "oh-hud-util.h"

#define MAX_TRANSFER_SUGGESTIONS 6

struct _OhHudCallRow
{
  GtkListBoxRow  parent_instance;

  OhHudClient   *client;
  OhDBusCall    *call;

  GtkWidget     *avatar;
  GtkWidget     *name;
  GtkWidget     *detail;
  GtkWidget     *timer;
  GtkWidget     *accept;
  GtkWidget     *reject;
  GtkWidget     *mute;
  GtkWidget     *hold;
  GtkWidget     *keypad;
  GtkWidget     *keypad_digits;
  GtkWidget     *transfer;
  GtkWidget     *transfer_entry;
  GtkWidget     *transfer_list;
  GtkWidget     *hangup;

  char          *shown_state;
  gboolean       shown_muted;
};

G_DEFINE_FINAL_TYPE (OhHudCallRow, oh_hud_call_row, GTK_TYPE_LIST_BOX_ROW)

static const char *
path_of (OhHudCallRow *self)
{
  return g_dbus_proxy_get_object_path (G_DBUS_PROXY (self->call));
}

static void
set_button (GtkWidget  *button,
            const char *icon_name,
            const char *label)
{
  AdwButtonContent *content = ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (button)));

  adw_button_content_set_icon_name (content, icon_name);
  adw_button_content_set_label (content, label);
}

static GtkWidget *
labelled_button (const char *icon_name,
                 const char *label)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (button), content);
  set_button (button, icon_name, label);
  gtk_widget_add_css_class (button, "pill");
  return button;
}

static void
render_timer (OhHudCallRow *self)
{
  const char *state = oh_dbus_call_get_state (self->call);
  gint64 answered = oh_dbus_call_get_answer_time (self->call);
  gint64 ended = oh_dbus_call_get_end_time (self->call);
  g_autofree char *text = NULL;

  if (g_strcmp0 (state, "ended") == 0)
    text = answered > 0 && ended > 0 ? oh_hud_format_elapsed (answered, ended) : g_strdup ("");
  else
    text = oh_hud_format_elapsed (answered, g_get_real_time ());
  gtk_label_set_text (GTK_LABEL (self->timer), text);
}

static void
render (OhHudCallRow *self)
{
  const char *state = oh_dbus_call_get_state (self->call);
  const char *name = oh_dbus_call_get_remote_name (self->call);
  const char *number = oh_dbus_call_get_remote_number (self->call);
  const char *audio = oh_dbus_call_get_audio_state (self->call);
  gboolean muted = oh_dbus_call_get_muted (self->call);
  gboolean ringing_in = g_strcmp0 (state, "ringing-in") == 0;
  gboolean active = g_strcmp0 (state, "active") == 0;
  gboolean held = g_strcmp0 (state, "held") == 0;
  gboolean ended = g_strcmp0 (state, "ended") == 0;
  g_autofree char *detail = NULL;
  const char *state_label = oh_hud_call_state_label (state);
  const char *title = name && *name ? name : (number && *number ? number : _("Unknown"));

  g_free (self->shown_state);
  self->shown_state = g_strdup (state ? state : "");
  self->shown_muted = muted;
  gtk_label_set_text (GTK_LABEL (self->name), title);
  adw_avatar_set_text (ADW_AVATAR (self->avatar), title);
  if (ended)
    /* TRANSLATORS: "Ended · You hung up" */
    detail = g_strdup_printf (_("%s · %s"), state_label,
                              oh_hud_end_reason_label (oh_dbus_call_get_end_reason (self->call)));
  else if (g_strcmp0 (audio, "stalled") == 0 && (active || held))
    detail = g_strdup_printf (_("%s · %s · audio interrupted"), state_label, number ? number : "");
  else if (g_strcmp0 (audio, "failed") == 0 && (active || held))
    detail = g_strdup_printf (_("%s · %s · no audio device"), state_label, number ? number : "");
  else if (name && *name && number && *number)
    detail = g_strdup_printf (_("%s · %s"), state_label, number);
  else
    detail = g_strdup (state_label);
  gtk_label_set_text (GTK_LABEL (self->detail), detail);
  oh_hud_set_css_state (GTK_WIDGET (self), "state-", state);

  gtk_widget_set_visible (self->accept, ringing_in);
  gtk_widget_set_visible (self->reject, ringing_in);
  gtk_widget_set_visible (self->mute, active || held);
  gtk_widget_set_visible (self->hold, active || held);
  gtk_widget_set_visible (self->keypad, active);
  gtk_widget_set_visible (self->transfer, active || held);
  gtk_widget_set_visible (self->hangup, !ringing_in && !ended);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->hold),
                                  held ? "app.resume-call" : "app.hold-call");
  set_button (self->hold, held ? "media-playback-start-symbolic" : "media-playback-pause-symbolic",
              held ? _("_Resume") : _("H_old"));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->mute), "(sb)", path_of (self), !muted);
  set_button (self->mute,
              muted ? "microphone-sensitivity-muted-symbolic" : "audio-input-microphone-symbolic",
              muted ? _("Un_mute") : _("_Mute"));
  if (muted)
    gtk_widget_add_css_class (self->mute, "toggled");
  else
    gtk_widget_remove_css_class (self->mute, "toggled");
  render_timer (self);
}

static void
on_call_changed (OhDBusCall   *call,
                 GParamSpec   *pspec,
                 OhHudCallRow *self)
{
  render (self);
}

static void
on_tick (OhHudClient  *client,
         OhHudCallRow *self)
{
  render_timer (self);
}

/* --- DTMF keypad ----------------------------------------------------- */

static void
on_dtmf_clicked (GtkButton    *button,
                 OhHudCallRow *self)
{
  const char *digit = g_object_get_data (G_OBJECT (button), "digit");
  g_autofree char *shown = g_strconcat (gtk_label_get_text (GTK_LABEL (self->keypad_digits)),
                                        digit, NULL);

  gtk_label_set_text (GTK_LABEL (self->keypad_digits), shown);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.send-dtmf", "(ss)", path_of (self), digit);
}

static void
on_keypad_shown (GtkPopover   *popover,
                 OhHudCallRow *self)
{
  gtk_label_set_text (GTK_LABEL (self->keypad_digits), "");
}

static GtkWidget *
keypad_new (OhHudCallRow *self)
{
  static const char *const keys[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#" };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *popover = gtk_popover_new ();

  self->keypad_digits = gtk_label_new ("");
  gtk_widget_add_css_class (self->keypad_digits, "title-3");
  gtk_widget_add_css_class (self->keypad_digits, "numeric");
  gtk_box_append (GTK_BOX (box), self->keypad_digits);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "dialpad");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *key = gtk_button_new_with_label (keys[i]);
      g_autofree char *label = g_strdup_printf (_("Send tone %s"), keys[i]);

      g_object_set_data (G_OBJECT (key), "digit", (gpointer) keys[i]);
      gtk_widget_set_tooltip_text (key, label);
      g_signal_connect (key, "clicked", G_CALLBACK (on_dtmf_clicked), self);
      gtk_grid_attach (GTK_GRID (grid), key, i % 3, i / 3, 1, 1);
    }
  gtk_box_append (GTK_BOX (box), grid);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect (popover, "show", G_CALLBACK (on_keypad_shown), self);
  return popover;
}

/* --- transfer -------------------------------------------------------- */

static void
close_transfer (OhHudCallRow *self)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->transfer));
}

static void
on_transfer_activate (GtkEntry     *entry,
                      OhHudCallRow *self)
{
  const char *target = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (oh_hud_check_number (target, NULL, NULL) == OH_HUD_NUMBER_INVALID ||
      oh_hud_check_number (target, NULL, NULL) == OH_HUD_NUMBER_EMPTY)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "app.transfer", "(ss)", path_of (self), target);
  close_transfer (self);
}

static void
on_transfer_row_activated (GtkListBox    *list,
                           GtkListBoxRow *row,
                           OhHudCallRow  *self)
{
  const char *target = g_object_get_data (G_OBJECT (row), "target");
  const char *call = g_object_get_data (G_OBJECT (row), "call");

  if (call)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.transfer-to", "(ss)", path_of (self), call);
  else if (target)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.transfer", "(ss)", path_of (self), target);
  close_transfer (self);
}

static void
add_transfer_row (OhHudCallRow *self,
                  const char   *title,
                  const char   *subtitle,
                  const char   *icon_name,
                  const char   *key,
                  const char   *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), key, g_strdup (value), g_free);
  gtk_list_box_append (GTK_LIST_BOX (self->transfer_list), row);
}

/* The calls to join (attended transfer) and the users that match what is
 * typed (blind transfer). */
static void
fill_transfer_list (OhHudCallRow *self)
{
  GListModel *calls = oh_hud_client_get_calls (self->client);
  GListModel *users = oh_hud_client_get_users (self->client);
  const char *own = oh_hud_client_get_own_extension (self->client);
  g_autofree char *key =
    oh_hud_search_key (gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry)));
  guint suggested = 0;

  gtk_widget_remove_css_class (self->transfer_entry, "error");
  oh_hud_clear_list_box (GTK_LIST_BOX (self->transfer_list));
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(OhDBusCall) other = g_list_model_get_item (calls, i);
      const char *state = oh_dbus_call_get_state (other);
      g_autofree char *party = NULL;
      g_autofree char *title = NULL;

      if (other == self->call ||
          (g_strcmp0 (state, "active") != 0 && g_strcmp0 (state, "held") != 0))
        continue;
      party = oh_hud_party (oh_dbus_call_get_remote_name (other),
                            oh_dbus_call_get_remote_number (other));
      /* TRANSLATORS: attended transfer: join this call with another one */
      title = g_strdup_printf (_("Join with %s"), party);
      add_transfer_row (self, title, oh_hud_call_state_label (state), "call-outgoing-symbolic",
                        "call", g_dbus_proxy_get_object_path (G_DBUS_PROXY (other)));
    }
  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(OhDBusUser) user = g_list_model_get_item (users, i);
      const char *extension = oh_dbus_user_get_extension (user);
      const char *fields[] = { oh_dbus_user_get_full_name (user), extension, NULL };
      g_autofree char *subtitle = NULL;

      if (suggested >= MAX_TRANSFER_SUGGESTIONS)
        break;
      if (extension == NULL || *extension == '\0' || g_strcmp0 (extension, own) == 0 ||
          g_strcmp0 (extension, oh_dbus_call_get_remote_number (self->call)) == 0 ||
          !oh_hud_matches (key, fields))
        continue;
      subtitle = g_strdup_printf (_("Ext. %s · %s"), extension,
                                  oh_hud_presence_label (oh_dbus_user_get_presence (user)));
      add_transfer_row (self, oh_dbus_user_get_full_name (user), subtitle,
                        "mail-forward-symbolic", "target", extension);
      suggested++;
    }
}

static void
on_transfer_shown (GtkPopover   *popover,
                   OhHudCallRow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), "");
  fill_transfer_list (self);
  gtk_widget_grab_focus (self->transfer_entry);
}

static GtkWidget *
transfer_popover_new (OhHudCallRow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = gtk_label_new (_("Transfer to"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);
  self->transfer_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->transfer_entry), _("Number or name, then Enter"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->transfer_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Transfer to number or name"),
                                  -1);
  g_signal_connect (self->transfer_entry, "activate", G_CALLBACK (on_transfer_activate), self);
  g_signal_connect_swapped (self->transfer_entry, "changed", G_CALLBACK (fill_transfer_list), self);
  gtk_box_append (GTK_BOX (box), self->transfer_entry);
  self->transfer_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->transfer_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->transfer_list, "boxed-list");
  g_signal_connect (self->transfer_list, "row-activated", G_CALLBACK (on_transfer_row_activated),
                    self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->transfer_list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_set_size_request (scrolled, 300, -1);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect (popover, "show", G_CALLBACK (on_transfer_shown), self);
  return popover;
}

/* --- GObject --------------------------------------------------------- */

static void
oh_hud_call_row_dispose (GObject *object)
{
  OhHudCallRow *self = OH_HUD_CALL_ROW (object);

  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->call);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_call_row_parent_class)->dispose (object);
}

static void
oh_hud_call_row_finalize (GObject *object)
{
  OhHudCallRow *self = OH_HUD_CALL_ROW (object);

  g_free (self->shown_state);

  G_OBJECT_CLASS (oh_hud_call_row_parent_class)->finalize (object);
}

static void
oh_hud_call_row_class_init (OhHudCallRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_call_row_dispose;
  object_class->finalize = oh_hud_call_row_finalize;
}

static void
oh_hud_call_row_init (OhHudCallRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "call-row");

  self->avatar = adw_avatar_new (48, NULL, TRUE);
  gtk_box_append (GTK_BOX (top), self->avatar);
  self->name = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->name, "title-3");
  gtk_label_set_xalign (GTK_LABEL (self->name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->name), PANGO_ELLIPSIZE_END);
  self->detail = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->detail, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (self->detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->detail), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (text), self->name);
  gtk_box_append (GTK_BOX (text), self->detail);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (top), text);
  self->timer = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->timer, "title-2");
  gtk_widget_add_css_class (self->timer, "numeric");
  gtk_widget_add_css_class (self->timer, "call-timer");
  gtk_box_append (GTK_BOX (top), self->timer);
  gtk_box_append (GTK_BOX (box), top);

  self->accept = labelled_button ("call-start-symbolic", _("_Accept"));
  gtk_widget_add_css_class (self->accept, "accept");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->accept), "app.accept-call");
  self->reject = labelled_button ("call-stop-symbolic", _("_Decline"));
  gtk_widget_add_css_class (self->reject, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->reject), "app.reject-call");
  self->mute = labelled_button ("audio-input-microphone-symbolic", _("_Mute"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->mute), "app.mute-call");
  self->hold = labelled_button ("media-playback-pause-symbolic", _("H_old"));

  self->keypad = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->keypad), "input-dialpad-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->keypad), keypad_new (self));
  oh_hud_set_tooltip_label (self->keypad, _("Keypad: send tones"));
  gtk_widget_add_css_class (self->keypad, "circular");

  self->transfer = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->transfer), "mail-forward-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->transfer), transfer_popover_new (self));
  oh_hud_set_tooltip_label (self->transfer, _("Transfer the call"));
  gtk_widget_add_css_class (self->transfer, "circular");

  self->hangup = labelled_button ("call-stop-symbolic", _("_Hang Up"));
  gtk_widget_add_css_class (self->hangup, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->hangup), "app.hangup-call");

  gtk_box_append (GTK_BOX (buttons), self->accept);
  gtk_box_append (GTK_BOX (buttons), self->reject);
  gtk_box_append (GTK_BOX (buttons), self->mute);
  gtk_box_append (GTK_BOX (buttons), self->hold);
  gtk_box_append (GTK_BOX (buttons), self->keypad);
  gtk_box_append (GTK_BOX (buttons), self->transfer);
  gtk_box_append (GTK_BOX (buttons), self->hangup);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
}

/**
 * oh_hud_call_row_new:
 * @client: the HUD's client
 * @call: the call
 *
 * Returns: (transfer floating): a row that follows @call
 */
GtkWidget *
oh_hud_call_row_new (OhHudClient *client,
                     OhDBusCall  *call)
{
  OhHudCallRow *self = g_object_new (OH_TYPE_HUD_CALL_ROW, NULL);
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (call));
  g_autofree char *label = NULL;

  self->client = g_object_ref (client);
  self->call = g_object_ref (call);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->accept), "s", path);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->reject), "s", path);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->hold), "s", path);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->hangup), "s", path);
  g_signal_connect_object (call, "notify", G_CALLBACK (on_call_changed), self, 0);
  g_signal_connect (client, "tick", G_CALLBACK (on_tick), self);
  render (self);
  label = g_strdup_printf (_("Call with %s"), gtk_label_get_text (GTK_LABEL (self->name)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return GTK_WIDGET (self);
}

static void
dump_string (JsonBuilder *builder,
             const char  *name,
             const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value ? value : "");
}

/**
 * oh_hud_call_row_dump:
 * @builder: inside an array
 *
 * Adds what the row shows, as an object; "buttons" are the actions shown.
 */
void
oh_hud_call_row_dump (OhHudCallRow *self,
                      JsonBuilder  *builder)
{
  const struct {
    const char *name;
    GtkWidget  *widget;
  } buttons[] = {
    { "accept", self->accept }, { "reject", self->reject }, { "mute", self->mute },
    { "hold", self->hold }, { "keypad", self->keypad }, { "transfer", self->transfer },
    { "hangup", self->hangup },
  };

  json_builder_begin_object (builder);
  dump_string (builder, "path", path_of (self));
  dump_string (builder, "state", self->shown_state);
  dump_string (builder, "name", gtk_label_get_text (GTK_LABEL (self->name)));
  dump_string (builder, "detail", gtk_label_get_text (GTK_LABEL (self->detail)));
  dump_string (builder, "timer", gtk_label_get_text (GTK_LABEL (self->timer)));
  dump_string (builder, "remote-number", oh_dbus_call_get_remote_number (self->call));
  dump_string (builder, "direction", oh_dbus_call_get_direction (self->call));
  dump_string (builder, "end-reason", oh_dbus_call_get_end_reason (self->call));
  json_builder_set_member_name (builder, "answer-time");
  json_builder_add_int_value (builder, oh_dbus_call_get_answer_time (self->call));
  json_builder_set_member_name (builder, "muted");
  json_builder_add_boolean_value (builder, self->shown_muted);
  json_builder_set_member_name (builder, "buttons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (gtk_widget_get_visible (buttons[i].widget))
      json_builder_add_string_value (builder, buttons[i].name);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
