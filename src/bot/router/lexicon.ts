/**
 * What words mean to the router, in both languages. Each term maps to one or
 * more concepts; the router scores intents from the concepts a message holds.
 * Chinese terms match as substrings, English ones as whole (typo-corrected)
 * words. Where terms overlap, the longest wins ("陪产假" hides "产假",
 * "unsubscribe" is one word, "chinese new year" is a holiday, not a language).
 */

import type { LeaveTypeCode } from '../../domain/leave-types.js';

export type Concept =
  | 'leave' // a leave noun or type: the balance topic
  | 'leaveWeak' // "假", "days": leave-ish only with a balance word
  | 'balance' // "余额", "left", "how many"
  | 'balanceWeak'
  | 'query' // "查", "show"
  | 'mine'
  | 'payslip'
  | 'payWeak'
  | 'lumpSum'
  | 'accrual'
  | 'edit'
  | 'remind'
  | 'notify' // "send me", "消息": a push only with a schedule or a stop word
  | 'periodic' // "every month", "以后", "有变动": a standing request, not a one-off
  | 'expiry' // "快过期", "expires", "lapse": with a notify word, a warning before leave runs out
  | 'resume' // "再打开", "turn back on": switching a push on again beats the "off" it mentions
  | 'on'
  | 'off'
  | 'langEn'
  | 'langZh'
  | 'langSwitch'
  | 'help'
  | 'greet'
  | 'apply' // applying for / cancelling leave: not served
  | 'cancel'
  | 'take'
  | 'want'
  | 'future'
  | 'define' // "what is PTO": a definition, not a balance
  | 'oos' // clearly another HR/IT/life topic
  | 'why' // "为什么", "why was…": an explanation for HR, unless it asks about a month's pay
  | 'context' // travel, leave types: out of scope, but context for "how much leave is left"
  | 'holiday' // public holidays: out of scope, but context for "how much leave is left" ("五一前年假还有几天")
  | 'payItem' // tax, social insurance, housing fund: out of scope unless asked about a payslip
  | 'oosWeak'
  | 'ignore'; // shadows look-alikes ("请问" is not "请假", "性别" is not "别")

type Lexicon = Partial<Record<Concept, string>>;

/**
 * Chat abbreviations and short forms of leave types that only make sense in a message to the
 * bot ("AL left?", "陪产还有几天"). They stay out of the shared synonym table because as tenant
 * leave-type names they would be ambiguous ("SL" may be special leave, "ML" medical or maternity).
 */
export const LEAVE_SLANG: ReadonlyArray<readonly [LeaveTypeCode, readonly string[]]> = [
  ['paternity', ['陪产', 'pat leave']],
  ['maternity', ['mat leave']],
  ['compensatory', ['time in lieu', 'lieu', 'til']],
  ['sick', ['sick lv', 'sl']],
  ['annual', ['年休', 'annual lv', 'vacay', 'vacays', 'hols', 'hol', 'ptos', 'p.t.o', 'al']],
];

/** Chinese (and other non-word) terms, `|`-separated; a term may list extra concepts after `+`. */
export const ZH: Lexicon = {
  leave:
    '年休|陪产|假期|休假|年假|年休假|带薪假|带薪年假|病假|事假|调休|补休|倒休|调休假|婚假|产假|陪产假|育儿假|丧假|丧葬假|护理假|哺乳假|探亲假|假余额+balance|请假余额+balance|请假天数+balanceWeak|请假额度+balance|假别',
  leaveWeak: '假|天假',
  balance: '余额|用完|用光|还够|够不够|够休|还剩|剩余|剩下|剩多少|可用|可以用|可休|能休|可以休|还能休|额度|还能请|能请几|还可以请',
  balanceWeak: '多少天+leaveWeak|几天+leaveWeak|还有多少|还有几|天数|多少|几|还有|有几|有多少',
  query: '查|查询|查看|看|看看|看下|看一下|显示|告诉|给我|发我|发一下|帮我|我要|列出|统计',
  mine: '我的|我',
  payslip:
    '粮单|薪条|薪单|工资流水|工资条|工资单|薪资单|薪资条|薪酬单|薪水单|工资明细|薪资明细|薪酬明细|实发|到手|税后|应发|扣款明细|工资表|薪资表|薪金|工资收入',
  payWeak: '出粮|发粮|工资|薪资|薪水|薪酬|收入|发薪|月薪|薪',
  lumpSum:
    '年奖|入职奖金|签约奖金|奖金|年终奖|一次性|签约奖|签字费|签约金|入职奖|年终奖金|安家费|安置费|安置补贴|搬迁费|搬迁补贴|搬家费|留任|十三薪|13薪|13th month|绩效奖|分红|奖励金',
  accrual: '发放记录|假期发放|发放|授予记录|额度记录|发放明细|假期记录',
  edit: '改|修改|调整|更新|更改|变更|设置为|设为|改成|改为|调为|调成|调到|修正|订正|纠正|延长|减少|增加',
  notify:
    '消息|发给我|给我发|发我|推给我|告诉我|通知我|提示我|别发+off|不要发+off|别再发+off|发一下|推一下|推我|给我推|发消息|跟我说|说一声|知会|提醒一下|通知一下|私信我|吱一声|打招呼|打个招呼|发过来|推过来|发一次|推一次|收到',
  periodic: '每个月|每月|每周|每天|定期|按月|自动|以后|变化|变动|有变|每次|每个礼拜|每礼拜|每个星期|每星期|每季度|每个季度|月初|每月初|月末|有新的|一有|每当|定时|按周|每月一次|一月一次|一个月一次|每周一次|一周一次|每两周|每半个月',
  expiry: '过期|到期|失效|快没了|要没了|作废|清零',
  remind: '提醒|推送|通知|订阅+on|退订+off|取消订阅+off',
  on: '开启|打开|开通|启用|开一下|开下|每月|每个月|每周|定期|按月|开始|开|再打开+resume|重新打开+resume|重新开启+resume|再开启+resume|恢复+resume|再开+resume|重新开+resume',
  off: '停止发送+notify|不用再发+notify|不用发+notify|关闭|关掉|关了|关上|关|取消+cancel|不要|不用|不想|不需要|别再|别|停止|停掉|停了|暂停|禁用|屏蔽|免打扰|不再|停一段时间|停一阵|先停|停一下|停发|停推|不必',
  langEn: '英文|英语|洋文',
  langZh: '中文|汉语|普通话|简体|华语|国语',
  langSwitch: '看不懂|不懂|读不懂|切换|切到|切回|换回|改回|换成|换到|改成|改为|改用|设置|设为|语言|回复|回答|回我|说话|跟我说|和我说|对我说|交流|用|讲|说',
  help:
    '会些啥|会啥|能干啥|干啥用|能做啥|能问什么|能问你什么|可以问什么|问你什么|有啥功能|有哪些功能|怎么用你|教我怎么用|教我用|怎么玩|能帮我干|可以帮我做|可以帮我干|都能做什么|能做哪些|帮助|菜单|功能|能查什么|可以查什么|能问哪些|可以问哪些|哪些问题|哪些服务|是干啥的|干啥的|咋用|操作手册|能做什么|能干什么|可以做什么|会做什么|会什么|能干嘛|能帮我什么|能帮我做什么|有啥能帮|有什么能帮|有什么可以帮|能帮我的|怎么用|怎么使用|如何使用|使用说明|使用方法|说明书|指南|教程|你是谁|介绍一下你|介绍下你|命令|指令|有什么用|支持什么',
  greet: '你好|您好|嗨|哈喽|哈啰|嘿|早上好|下午好|晚上好|早安|在吗|在么|在不在|哈罗|喂|有人吗',
  apply:
    '请假|申请|提交|撤销|撤回|销假|补假|调班|换班|批假|想休|要休|打算休|准备休|计划休|想请|要请|打算请|准备请|请个假|请一天|请两天|请半天|怎么请|如何请|怎样请|怎么休|如何休',
  define: '什么是|是什么|什么意思|指什么|含义|啥意思',
  take: '休',
  want: '想|要|打算|准备|计划',
  future: '明天|后天|明日|下周|下星期|下礼拜|周一|周二|周三|周四|周五|周六|周日|星期一|星期二|星期三|星期四|星期五|星期六|星期天|星期日|礼拜',
  oos: [
    // how a word is said in another language, applications in progress, getting money back
    '怎么说|叫什么|怎么翻译|卡在|卡住|流程|进度|到谁那|走到哪|没批|打车|车费|餐费|垫付|退钱|还我|拿回来|折现|什么时候发|几号发|哪天发',
    // expenses and tax filings
    '报销|发票|差旅|完税|纳税|报税|汇算|税务',
    // attendance
    '打卡|补卡|考勤|迟到|早退|旷工',
    // people and approvals
    '领导|上级|主管|经理|老板|直属|汇报|审批|批准|审核|组织架构|通讯录',
    // IT
    '网络|电脑|笔记本|密码|邮箱|打印|账号|登录',
    // small talk and office life
    '天气|下雨|下雪|气温|温度|笑话|讲个|唱歌|会议室|开会|会议|食堂|午饭|吃饭|班车|停车|快递|年会|团建|工卡|门禁|工位|饭卡|宿舍',
    // someone else's leave or pay, complaints and delivery problems, rules and criteria, other
    // subscriptions and languages, messages to other people
    '小王|小李|小张|小刘|张三|李四|张伟|下属|我们组|组里|同事的|团队的|少算|算错|还没发|咋还没|怎么还没|打不开|收不到|附件|格式错误|标准|规则|条件|区别|退回|分月|一般几月|怎么表达|咋说|新闻|群消息|周报|韩语|日语|法语|德语|说声你好',
    // employment, career and policy
    '入职|离职|辞职|转正|试用期|合同|证明|体检|培训|绩效|考核|晋升|升职|涨薪|调薪|加薪|招聘|面试|股票|期权|政策|规定|制度|怎么算|如何计算|计算方法|怎么计算|工资卡|发薪日|英文名|中文名|翻译',
  ].join('|'),
  why: '为什么|为啥|为何',
  context: '机票|酒店|出差|假期类型|假期种类|有哪些假|哪些假期|几种假',
  holiday: '节假日|公众假期|法定假期|放假|放几天|法定|假日|公休|清明|五一|劳动节|国庆|春节|元旦|端午|中秋|除夕|过年|圣诞|元宵|补班|节日',
  payItem: '扣了|扣钱|被扣|扣掉|扣费|个税|个人所得税|公积金|社保|医保|五险一金|保险|扣款|扣除',
  oosWeak: '结转|清零|作废|内推|费用|电话|架构|同事|部门|谁|银行卡|银行',
  ignore: '扣完税|交完税|缴完税|请问|请帮|请用|请将|请把|假如|假设|假装|真假|假的|用户|用于|有用|类别|区别|特别|别人|性别|级别|休息|关于|关系|相关|机关|开发|开心|公开|离开|改天|想请问|想问|机器人|助手|小助手',
};

/** English words and phrases (lower case, after typo correction). */
export const EN: Lexicon = {
  leave:
    'al|sl|vacay|vacays|hols|hol|ptos|p t o|lv|til|lieu|mat leave|pat leave|time in lieu|leave|leaves|vacation|vacations|pto|time off|days off|holiday allowance|holiday entitlement|holiday days|holiday balance|comp time|comp off|comp days|comp leave|toil|in lieu|lieu|annual leave|sick leave|sick days|personal days|vacation days|maternity|paternity|bereavement|compassionate leave|childcare leave|parental leave|absence|allocation+balance',
  leaveWeak: 'days|day|annual|sick|personal',
  balance:
    'bal|bals|balance|balances|remaining|remain|remainder|left|available|accrued|entitlement|entitlements|allowance|quota|still have',
  balanceWeak: 'how many|how much|have|got|days do i have+leaveWeak',
  query: 'check|show|see|view|get|tell|what|whats|display|give|send|need|lookup|look up|list|find|pull up',
  mine: 'my|mine',
  payslip:
    'pslip|pslips|p slip|sal slip|salary stmt|pay stmt|p s|stub|stubs|payslip|payslips|pay slip|pay slips|salary slip|salary slips|salary statement|pay stub|pay stubs|paystub|paycheck|paychecks|paycheque|pay statement|net pay|gross pay|take home|after tax|pre tax|wage slip|earnings statement|payroll|pay details|salary details',
  payWeak: 'salary|salaries|pay|paid|wage|wages|earn|earned|earnings|income|payment|payments',
  lumpSum:
    'relo|yeb|bonus|bonuses|lump sum|lumpsum|one time|onetime|one off|sign on|signon|signing bonus|relocation|retention|incentive|incentives|year end bonus|thirteenth month|award|awards|commission',
  accrual: 'accrual|accruals|grant|grants|leave grant|accrual record|grant record',
  edit: 'adjust|change|update|set|edit|modify|correct|fix|amend|alter|increase|decrease|reduce|extend',
  notify:
    'message|messages|messaging|ping|send me|sending me|let me know|keep me posted|text me|email me|send|sending|keep me updated|keep me informed|keep me in the loop|update me|heads up|warn me|warning|warnings|tell me when|msg|msgs|spam|spamming|dm me|nudge me|lemme know|emails',
  periodic:
    'every month|every week|monthly|weekly|daily|regularly|automatically|whenever|each month|each week|from now on|changes|anymore|any more|biweekly|quarterly|every quarter|each quarter|periodically|going forward|each time|every time|once a month|once a week|twice a month|per month|per week|every other week|every two weeks|fortnightly|every monday|every friday|each monday|each friday|every morning',
  expiry: 'expire|expires|expiring|expiry|lapse|lapses|lapsing|about to expire|runs out|run out',
  remind:
    'remind me to+remind+oosWeak|reminder|reminders|remind|reminding|notification|notifications|notify|push|pushes|alert|alerts|subscribe+on|subscription|digest|updates|unsubscribe+off|unsub+off',
  on: 'on|turn on|switch on|enable|activate|start+help|sign me up|opt in|every month|monthly|weekly|resume+resume|back on+resume|re enable+resume|reenable+resume|restart+resume|start again+resume',
  off: 'stop sending+notify|quit sending+notify|stop messaging+notify|off|turn of|turn off|switch off|disable|stop|cancel+cancel|opt out|mute|no more|dont|do not|deactivate|pause|silence|dont want|without|no need|dont need|do not need|no longer|on hold|hold off|opt me out|enough with|kill',
  langEn: 'english|eng|en|en us',
  langZh: 'chinese|mandarin|simplified chinese|zh|cn|zh cn',
  langSwitch: 'read|understand|prefer|switch|change|reply|replying|replies|respond|responding|answer|speak|talk|communicate|write|language|set|use|lang|locale',
  help:
    'what kind of questions|what questions can|what am i supposed to ask|supposed to use|what is this bot for|whats this bot for|what is this for|whats this for|list of what you can do|explain what you do|what sort of things|what kind of things|what kind of stuff|what sort of stuff|what are you good for|what are you for|how do i use you|how to use you|tips|what can you help with|show me what you can do|what do you support|get started|help|menu|what can you do|what can u do|what can this bot do|what can the bot do|what do you do|what are you|who are you|how does this work|how does this bot work|how does it work|how do you work|how do i use|how to use|commands|features|guide|instructions|usage|options|capabilities|tutorial|what can i ask|how can you help',
  greet: 'hi|hello|hey|hiya|yo|greetings|good morning|good afternoon|good evening|morning|howdy|sup|hola|hallo|halo|helo',
  apply:
    'apply|applying|application|submit|leave request|leave application|time off request|pto request|vacation request|file for|request leave|book leave|take leave|day off tomorrow',
  cancel: 'withdraw|revoke|retract|cancelled|canceled',
  define: 'what is|what are|what does|whats|mean|means|meaning|definition',
  take: 'take|taking|book|booking|request|requesting|day off',
  want: 'want|wanna|would like|like to|going to|gonna|plan|planning|hope|need to|id like',
  future: 'tomorrow|next week|next monday|next tuesday|next wednesday|next thursday|next friday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|this afternoon|this friday',
  oos: [
    // how a word is said in another language, applications in progress, getting money back
    'how do you say|how to say|how do i say|the chinese for|the english for|stuck|pending|status|money back|pay me back|paid back|refund|refunds|taxi|cab|uber|claim back|cash out|carry over|carryover|roll over|rollover|cutoff|cut off',
    // expenses and tax filings
    'expense|expenses|reimburse|reimbursement|reimbursed|invoice|receipt|receipts|tax certificate|tax return',
    // attendance
    'clock in|clock out|punch|attendance|timesheet',
    // people and approvals
    'manager|managers|boss|supervisor|approver|approve|approves|approved|approval|report to|reports to|org chart',
    // IT
    'vpn|wifi|wi fi|laptop|computer|password|email|printer|login|log in',
    // small talk and office life
    'weather|rain|raining|snow|temperature|forecast|joke|jokes|funny|sing|meeting|meetings|meeting room|conference room|lunch|canteen|cafeteria|parking|shuttle|badge',
    // someone else's leave or pay, complaints and delivery problems, rules and criteria, other
    // subscriptions and languages, messages to other people
    'teammate|teammates|teams|coworkers|colleagues|direct reports|miscalculated|late|pdf|never arrived|criteria|rules|difference|pay back|taxable|law|per diem|newsletter|news|job postings|korean|japanese|french|german|spanish|say hi|send a hello',
    // employment, career and policy
    'onboarding|offboarding|resign|resignation|quit|probation|contract|certificate|training|promotion|raise|salary increase|pay rise|pay raise|stock|equity|rsu|interview|policy|policies|calculated|calculate|payday|translate|leave the company|leaving the company|quit my job',
  ].join('|'),
  why: 'why was|why did|why were|why has|why have|why is|why are',
  context: 'flight|flights|hotel|hotels|types of leave|leave types|kinds of leave|leave policy types',
  holiday:
    'public holiday|public holidays|bank holiday|national holiday|statutory holiday|holidays|christmas|xmas|new year|new years|easter|thanksgiving|golden week|national day|labor day|labour day|mid autumn|dragon boat|spring festival|lunar new year|chinese new year',
  payItem: 'tax|taxes|income tax|pension|provident fund|housing fund|social security|social insurance|insurance|deduction|deductions',
  oosWeak: 'bank|bank account|bank card|unused|what happens|holiday|referral|refer|travel|colleague|coworker|team|phone|who|review|room|claim|english name|chinese name',
  ignore: 'leave me|leave it|bot|robot|assistant|take a look|have a look|take a peek',
};
