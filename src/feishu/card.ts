/**
 * Card JSON 2.0, typed for the components the bot uses. Unknown properties are
 * rejected by Feishu in 2.0, so builders only produce what is declared here.
 */

export type HeaderTemplate =
  | 'blue'
  | 'wathet'
  | 'turquoise'
  | 'green'
  | 'yellow'
  | 'orange'
  | 'red'
  | 'carmine'
  | 'violet'
  | 'purple'
  | 'indigo'
  | 'grey'
  | 'default';

/**
 * Text in each language a card carries (Feishu's keys: `zh_cn`, `en_us`); the reader's
 * client picks its own, `content` is shown to the rest. Used on cards that several people read.
 */
export type I18nText = Partial<Record<CardLocale, string>>;

/** Feishu's spelling of the bot's locales inside card JSON (`config.locales`, `i18n_content`). */
export type CardLocale = 'zh_cn' | 'en_us';

export interface PlainText {
  tag: 'plain_text';
  content: string;
  i18n_content?: I18nText;
}

export interface CardHeader {
  title: PlainText;
  subtitle?: PlainText;
  template?: HeaderTemplate;
  text_tag_list?: Array<{ tag: 'text_tag'; text: PlainText; color?: string }>;
}

export interface MarkdownElement {
  tag: 'markdown';
  content: string;
  i18n_content?: I18nText;
  text_size?: 'normal' | 'notation' | 'heading' | 'normal_v2' | 'notation_v2';
  text_align?: 'left' | 'center' | 'right';
  element_id?: string;
}

export interface HrElement {
  tag: 'hr';
  element_id?: string;
}

export interface CallbackBehavior {
  type: 'callback';
  value: Record<string, string | number | boolean>;
}

export interface OpenUrlBehavior {
  type: 'open_url';
  default_url: string;
  pc_url?: string;
  ios_url?: string;
  android_url?: string;
}

export interface ButtonElement {
  tag: 'button';
  text: PlainText;
  type?: 'default' | 'primary' | 'danger' | 'text' | 'primary_filled' | 'danger_filled' | 'laser';
  size?: 'tiny' | 'small' | 'medium' | 'large';
  width?: 'default' | 'fill' | string;
  behaviors: Array<CallbackBehavior | OpenUrlBehavior>;
  element_id?: string;
  name?: string;
  /** Inside a form: `submit` sends every field's value with the click (`form_value`). */
  form_action_type?: 'submit' | 'reset';
}

export interface ColumnElement {
  tag: 'column';
  width?: 'auto' | 'weighted' | string;
  weight?: number;
  vertical_align?: 'top' | 'center' | 'bottom';
  elements: CardElement[];
}

export interface ColumnSetElement {
  tag: 'column_set';
  flex_mode?: 'none' | 'stretch' | 'flow' | 'bisect' | 'trisect';
  horizontal_spacing?: string;
  background_style?: string;
  columns: ColumnElement[];
  element_id?: string;
}

export interface TableColumn {
  name: string;
  display_name: string;
  data_type: 'text' | 'lark_md' | 'options' | 'number' | 'persons' | 'date' | 'markdown';
  width?: string;
  horizontal_align?: 'left' | 'center' | 'right';
  format?: { precision?: number; symbol?: string; separator?: boolean };
}

export interface TableElement {
  tag: 'table';
  page_size?: number;
  row_height?: 'low' | 'middle' | 'high' | string;
  header_style?: {
    text_align?: 'left' | 'center' | 'right';
    text_size?: 'normal' | 'heading';
    background_style?: 'grey' | 'none';
    bold?: boolean;
    lines?: number;
  };
  columns: TableColumn[];
  rows: Array<Record<string, string | number>>;
  element_id?: string;
}

/** Form fields: their values come back in the callback's `form_value`, by `name`. */
export interface InputElement {
  tag: 'input';
  name: string;
  placeholder?: PlainText;
  default_value?: string;
  label?: PlainText;
  required?: boolean;
  max_length?: number;
  element_id?: string;
}

export interface SelectStaticElement {
  tag: 'select_static';
  name: string;
  placeholder?: PlainText;
  options: Array<{ text: PlainText; value: string }>;
  initial_option?: string;
  required?: boolean;
  element_id?: string;
}

export interface SelectPersonElement {
  tag: 'select_person';
  name: string;
  placeholder?: PlainText;
  initial_option?: string;
  required?: boolean;
  element_id?: string;
}

export interface DatePickerElement {
  tag: 'date_picker';
  name: string;
  placeholder?: PlainText;
  initial_date?: string;
  required?: boolean;
  element_id?: string;
}

export interface FormElement {
  tag: 'form';
  name: string;
  elements: CardElement[];
  element_id?: string;
}

export type CardElement =
  | MarkdownElement
  | HrElement
  | ButtonElement
  | ColumnSetElement
  | TableElement
  | FormElement
  | InputElement
  | SelectStaticElement
  | SelectPersonElement
  | DatePickerElement;

export interface Card {
  schema: '2.0';
  config?: {
    update_multi?: true;
    enable_forward?: boolean;
    width_mode?: 'compact' | 'fill' | 'default';
    summary?: { content: string; i18n_content?: I18nText };
    /** The languages a bilingual card carries (`zh_cn`, `en_us`). */
    locales?: CardLocale[];
  };
  header?: CardHeader;
  body: { elements: CardElement[] };
}

/** Feishu's published limit for card/post messages and card updates. */
export const CARD_MAX_BYTES = 30 * 1024;

/** Feishu's published limit of elements and components in one card. */
export const CARD_MAX_COMPONENTS = 200;

/** Components in a card: every node with a `tag` below the body, nested ones included. */
export function cardComponents(card: Card): number {
  const count = (node: unknown): number => {
    if (Array.isArray(node)) return node.reduce((sum: number, child) => sum + count(child), 0);
    if (!node || typeof node !== 'object') return 0;
    const own = 'tag' in node ? 1 : 0;
    return own + Object.values(node).reduce((sum: number, child) => sum + count(child), 0);
  };
  return count(card.body.elements);
}

/** Serialised size in bytes, as Feishu measures it (UTF-8 of the JSON string). */
export function cardBytes(card: Card): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
