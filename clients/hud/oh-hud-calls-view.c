/* oh-hud-calls-view.c: the dial pad and the user's calls
 *
 * The number entry says while typing whether it can be dialled (the
 * rules of Phone.Dial(), and whether a name is a user); the list shows
 * Phone's calls, ringing ones included, each with its controls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-call-row.h"
#include "oh-hud-calls-view.h"
#include "oh-hud-format.h"
#include "oh-hud-util.h"

struct _OhHudCallsView
{
  GtkBox           parent_instance;

  OhHudClient     *client;
  OhHudNumberKind  kind;
  gboolean         can_dial;

  GtkWidget       *entry;
  GtkWidget       *hint;
  GtkWidget       *dial;
  GtkWidget       *list;
  GtkWidget       *summary;
};

G_DEFINE_FINAL_TYPE (OhHudCallsView, oh_hud_calls_view, GTK_TYPE_BOX)

static const char *
kind_name (OhHudNumberKind kind)
{
  switch (kind)
    {
    case OH_HUD_NUMBER_PHONE:
      return "phone";
    case OH_HUD_NUMBER_NAME:
      return "name";
    case OH_HUD_NUMBER_INVALID:
      return "invalid";
    case OH_HUD_NUMBER_EMPTY:
    default:
      return "empty";
    }
}

static void
set_hint (OhHudCallsView *self,
          const char     *text,
          const char     *css_class)
{
  gtk_label_set_text (GTK_LABEL (self->hint), text);
  gtk_widget_remove_css_class (self->hint, "error");
  gtk_widget_remove_css_class (self->hint, "success");
  gtk_widget_remove_css_class (self->hint, "warning");
  if (css_class)
    gtk_widget_add_css_class (self->hint, css_class);
}

static void
validate (OhHudCallsView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *normalized = NULL;
  g_autofree char *problem = NULL;
  OhDBusUser *user = NULL;

  self->kind = oh_hud_check_number (text, &normalized, &problem);
  self->can_dial = FALSE;
  gtk_widget_remove_css_class (self->entry, "error");
  switch (self->kind)
    {
    case OH_HUD_NUMBER_EMPTY:
      set_hint (self, _("Type a number, an extension or a name"), NULL);
      break;
    case OH_HUD_NUMBER_PHONE:
      user = oh_hud_client_find_user (self->client, normalized);
      if (user)
        {
          g_autofree char *hint = g_strdup_printf (_("Calls %s"),
                                                   oh_dbus_user_get_full_name (user));
          set_hint (self, hint, "success");
        }
      else
        set_hint (self, _("Calls this number"), NULL);
      self->can_dial = TRUE;
      break;
    case OH_HUD_NUMBER_NAME:
      user = oh_hud_client_find_user (self->client, text);
      if (user)
        {
          g_autofree char *hint = g_strdup_printf (_("Calls %s at %s"),
                                                   oh_dbus_user_get_full_name (user),
                                                   oh_dbus_user_get_extension (user));
          set_hint (self, hint, "success");
          self->can_dial = TRUE;
        }
      else
        {
          g_autofree char *hint = g_strdup_printf (_("No user is called “%s”"), text);
          set_hint (self, hint, "warning");
        }
      break;
    case OH_HUD_NUMBER_INVALID:
    default:
      gtk_widget_add_css_class (self->entry, "error");
      set_hint (self, problem, "error");
      break;
    }
  gtk_widget_set_sensitive (self->dial, self->can_dial);
}

static void
dial (OhHudCallsView *self)
{
  g_autofree char *number = NULL;

  validate (self);
  if (!self->can_dial)
    {
      gtk_widget_error_bell (self->entry);
      return;
    }
  number = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gtk_widget_activate_action (GTK_WIDGET (self), "app.dial", "s", number);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

static void
on_key_clicked (GtkButton      *button,
                OhHudCallsView *self)
{
  const char *digit = g_object_get_data (G_OBJECT (button), "digit");
  int position = -1;

  gtk_editable_insert_text (GTK_EDITABLE (self->entry), digit, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

static void
on_entry_icon (GtkEntry             *entry,
               GtkEntryIconPosition  position,
               OhHudCallsView       *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  glong length = g_utf8_strlen (text, -1);

  if (length > 0)
    gtk_editable_delete_text (GTK_EDITABLE (entry), (int) length - 1, -1);
}

static GtkWidget *
dialpad_new (OhHudCallsView *self)
{
  static const char *const keys[][2] = {
    { "1", "" }, { "2", "ABC" }, { "3", "DEF" },
    { "4", "GHI" }, { "5", "JKL" }, { "6", "MNO" },
    { "7", "PQRS" }, { "8", "TUV" }, { "9", "WXYZ" },
    { "*", "" }, { "0", "+" }, { "#", "" },
  };
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_add_css_class (grid, "dialpad");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *digit = gtk_label_new (keys[i][0]);
      GtkWidget *letters = gtk_label_new (keys[i][1]);

      gtk_widget_add_css_class (digit, "dialpad-digit");
      gtk_widget_add_css_class (letters, "dialpad-letters");
      gtk_box_append (GTK_BOX (box), digit);
      gtk_box_append (GTK_BOX (box), letters);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "circular");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      keys[i][0], -1);
      g_object_set_data (G_OBJECT (button), "digit", (gpointer) keys[i][0]);
      g_signal_connect (button, "clicked", G_CALLBACK (on_key_clicked), self);
      gtk_grid_attach (GTK_GRID (grid), button, i % 3, i / 3, 1, 1);
    }
  return grid;
}

static GtkWidget *
create_row (gpointer item,
            gpointer data)
{
  OhHudCallsView *self = data;

  return oh_hud_call_row_new (self->client, item);
}

static void
on_calls_changed (GListModel     *calls,
                  guint           position,
                  guint           removed,
                  guint           added,
                  OhHudCallsView *self)
{
  guint n = g_list_model_get_n_items (calls);
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("No calls"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call", "%u calls", n), n);
  gtk_label_set_text (GTK_LABEL (self->summary), text);
}

static void
oh_hud_calls_view_dispose (GObject *object)
{
  OhHudCallsView *self = OH_HUD_CALLS_VIEW (object);

  if (self->list)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list), NULL, NULL, NULL, NULL);
  self->list = NULL;
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_calls_view_parent_class)->dispose (object);
}

static void
oh_hud_calls_view_class_init (OhHudCallsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_calls_view_dispose;
}

static void
oh_hud_calls_view_init (OhHudCallsView *self)
{
  GtkWidget *pad = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *calls = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Your Calls"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *placeholder = adw_status_page_new ();
  GtkWidget *dial_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 24);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 18);

  /* The dial pad */
  self->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), _("Number or name"));
  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_PHONE);
  gtk_entry_set_icon_from_icon_name (GTK_ENTRY (self->entry), GTK_ENTRY_ICON_SECONDARY,
                                     "edit-clear-symbolic");
  gtk_entry_set_icon_tooltip_text (GTK_ENTRY (self->entry), GTK_ENTRY_ICON_SECONDARY,
                                   _("Delete the last digit"));
  gtk_widget_add_css_class (self->entry, "dial-entry");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Number to call"), -1);
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (dial), self);
  g_signal_connect (self->entry, "icon-release", G_CALLBACK (on_entry_icon), self);
  self->hint = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->hint), 0);
  gtk_widget_add_css_class (self->hint, "caption");
  gtk_widget_add_css_class (self->hint, "dial-hint");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->hint, NULL, -1);
  self->dial = gtk_button_new_from_icon_name ("call-start-symbolic");
  gtk_widget_add_css_class (self->dial, "circular");
  gtk_widget_add_css_class (self->dial, "accept");
  gtk_widget_add_css_class (self->dial, "dial-button");
  oh_hud_set_tooltip_label (self->dial, _("Call"));
  g_signal_connect_swapped (self->dial, "clicked", G_CALLBACK (dial), self);
  gtk_widget_set_halign (dial_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (dial_box), self->dial);

  gtk_box_append (GTK_BOX (pad), self->entry);
  gtk_box_append (GTK_BOX (pad), self->hint);
  gtk_box_append (GTK_BOX (pad), dialpad_new (self));
  gtk_box_append (GTK_BOX (pad), dial_box);
  gtk_widget_set_size_request (pad, 260, -1);
  gtk_widget_set_valign (pad, GTK_ALIGN_START);
  gtk_widget_add_css_class (pad, "card");
  gtk_widget_add_css_class (pad, "dialpad-card");
  gtk_box_append (GTK_BOX (self), pad);

  /* The calls */
  gtk_widget_add_css_class (heading, "title-4");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_widget_add_css_class (self->summary, "caption");
  gtk_box_append (GTK_BOX (calls), heading);
  gtk_box_append (GTK_BOX (calls), self->summary);
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_valign (self->list, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Your calls"), -1);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (placeholder), "call-start-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (placeholder), _("No Calls"));
  adw_status_page_set_description (ADW_STATUS_PAGE (placeholder),
                                   _("Dial a number, or call someone from the Users page"));
  gtk_widget_add_css_class (placeholder, "compact");
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->list), placeholder);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_margin_top (scrolled, 6);
  gtk_box_append (GTK_BOX (calls), scrolled);
  gtk_widget_set_hexpand (calls, TRUE);
  gtk_box_append (GTK_BOX (self), calls);
}

/**
 * oh_hud_calls_view_new:
 * @client: the HUD's client
 *
 * Returns: (transfer floating): the calls view
 */
GtkWidget *
oh_hud_calls_view_new (OhHudClient *client)
{
  OhHudCallsView *self = g_object_new (OH_TYPE_HUD_CALLS_VIEW, NULL);
  GListModel *calls = oh_hud_client_get_calls (client);

  self->client = g_object_ref (client);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list), calls, create_row, self, NULL);
  g_signal_connect_object (calls, "items-changed", G_CALLBACK (on_calls_changed), self, 0);
  on_calls_changed (calls, 0, 0, 0, self);
  /* Whether a name is a user's can change while it is typed. */
  g_signal_connect_object (oh_hud_client_get_users (client), "items-changed",
                           G_CALLBACK (validate), self, G_CONNECT_SWAPPED);
  validate (self);
  return GTK_WIDGET (self);
}

/**
 * oh_hud_calls_view_set_number:
 * @number: a number or name
 *
 * Puts @number into the dial pad's entry.
 */
void
oh_hud_calls_view_set_number (OhHudCallsView *self,
                              const char     *number)
{
  g_return_if_fail (OH_IS_HUD_CALLS_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), number);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

void
oh_hud_calls_view_focus (OhHudCallsView *self)
{
  g_return_if_fail (OH_IS_HUD_CALLS_VIEW (self));
  gtk_widget_grab_focus (self->entry);
}

/**
 * oh_hud_calls_view_dump:
 * @builder: inside an object
 *
 * Adds "dial" (the entry and its feedback) and "calls" (the rows shown).
 */
void
oh_hud_calls_view_dump (OhHudCallsView *self,
                        JsonBuilder    *builder)
{
  GtkListBoxRow *row;

  json_builder_set_member_name (builder, "dial");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind_name (self->kind));
  json_builder_set_member_name (builder, "hint");
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (self->hint)));
  json_builder_set_member_name (builder, "can-dial");
  json_builder_add_boolean_value (builder, gtk_widget_get_sensitive (self->dial));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "calls");
  json_builder_begin_array (builder);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), i)); i++)
    if (OH_IS_HUD_CALL_ROW (row))
      oh_hud_call_row_dump (OH_HUD_CALL_ROW (row), builder);
  json_builder_end_array (builder);
}
