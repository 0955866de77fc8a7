// The Element Plus icons the console uses, registered once by name.
import {
  ArrowDown,
  ChatLineSquare,
  Connection,
  Document,
  Download,
  HomeFilled,
  Key,
  OfficeBuilding,
  Plus,
  Refresh,
  Search,
  SwitchButton,
  Tickets,
  Upload,
  User,
  UploadFilled,
} from '@element-plus/icons-vue';

const icons = { ArrowDown, ChatLineSquare, Connection, Document, Download, HomeFilled, Key, OfficeBuilding, Plus, Refresh, Search, SwitchButton, Tickets, Upload, User, UploadFilled };

export function registerIcons(app) {
  for (const [name, component] of Object.entries(icons)) app.component(name, component);
}
