## /start for people who hold a role, deep links, and flows shown again

role-admin = 社区管理员
role-grid-worker = 网格员
role-leader = 微网格长
role-volunteer = 志愿者
role-merchant = 爱心商家
role-in-area = { $area } 的{ $role }
role-everywhere = 全部社区 的{ $role }
greeting-list-separator = 、
greeting-hello = 你好，{ $name }！你是 { $roles }。
greeting-waiting = 你负责区域里待认领的诉求：{ $count } 条
greeting-claimed = 你已认领、尚未办结的：{ $count } 条
greeting-reviews = 等你签章的服务打卡：{ $count } 条
greeting-see-tasks = 发送 /tasks 查看并处理待办。
greeting-can-admin = 管理员：在群里发送 /bind 微网格名称 绑定本群；/activity 发布志愿活动；/adjust 调整积分。
greeting-can-merchant = 爱心商家：居民出示兑换码时，发送 /verify 兑换码 即可核销。
greeting-menu = 输入框旁的命令菜单已换成你常用的命令；发送 /help 查看全部说明。
greeting-register-offer = 如果你也住在本社区，可以点击下面的按钮登记住址（不登记也不影响工作）。
greeting-register-here = 如果你也住在「{ $micro_grid }」，可以点击下面的按钮登记住址。
btn-register-home = 🏠 登记我的住址
cmd-adjust = 调整积分（管理员）

link-not-for-you = 这个链接打不开：它指向的记录不存在，或者不是给你的。发送 /my 查看你自己的诉求。

step-again = 你还有一件事没办完，我们从这一步接着来（发送 /cancel 可取消）：
step-use-buttons = 这一步请按下面的提示或按钮操作（发送 /cancel 可取消）：
